import { libraryConfig } from '../../tsup.library.js';

export default libraryConfig({
  entry: ['src/run-bench.ts', 'src/server-process.ts', 'src/simulated-scenario.ts'],
  dts: false,
});
