import { defineConfig, type Options } from 'tsup';

/**
 * The build every library package shares: ESM and CommonJS for Node 20 (TypeScript's `node16`
 * resolution cannot type a CommonJS `require` of ESM), with declarations and sourcemaps. Errors
 * carry registry-wide markers, so a program that loads both builds still recognises them.
 */
export function libraryConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    ...overrides,
  });
}
