import { libraryConfig } from '../../tsup.library.js';

export default libraryConfig({
  entry: [
    'src/run-bench.ts',
    'src/server-process.ts',
    'src/simulated-scenario.ts',
    'src/big-file-scenario.ts',
    'src/codec-scenario.ts',
    'src/inventory-scenario.ts',
  ],
  dts: false,
  // Private: run as ESM scripts that fork each other by import.meta.url.
  format: ['esm'],
});
