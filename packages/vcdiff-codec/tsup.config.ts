import { libraryConfig } from '../../tsup.library.js';

// Private while it grows into the codec of issue 16: ESM only for now.
export default libraryConfig({ format: ['esm'] });
