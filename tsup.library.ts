import { defineConfig, type Options } from 'tsup';

/** The build every library package shares: ESM for Node 20, with declarations and sourcemaps. */
export function libraryConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    ...overrides,
  });
}
