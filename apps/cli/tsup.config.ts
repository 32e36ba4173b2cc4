import { libraryConfig } from '../../tsup.library.js';

export default libraryConfig({
  // The exporter's refreshes run in a worker thread: its entry sits beside the chunks.
  entry: { bin: 'src/bin.ts', 'refresh-worker': 'src/serve/refresh-worker.ts' },
  dts: false,
  banner: { js: '#!/usr/bin/env node' },
  // A program, not a library: ESM with top-level await, run by node.
  format: ['esm'],
});
