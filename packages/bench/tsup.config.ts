import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/run-bench.ts', 'src/server-process.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
