import { libraryConfig } from '../../tsup.library.js';

// vitest is the suite's host, never bundled into it.
export default libraryConfig({ external: ['vitest'] });
