import { libraryConfig } from '../../tsup.library.js';

export default libraryConfig({
  entry: ['src/bin.ts'],
  dts: false,
  banner: { js: '#!/usr/bin/env node' },
  // A program, not a library: ESM with top-level await, run by node.
  format: ['esm'],
});
