import { libraryConfig } from '../../tsup.library.js';

// The contract runs inside vitest, which refuses to be loaded from CommonJS: ESM only.
export default libraryConfig({ format: ['esm'] });
