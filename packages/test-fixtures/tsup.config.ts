import { libraryConfig } from '../../tsup.library.js';

// Private, and read by our ESM tests only (it locates its files with import.meta.url).
export default libraryConfig({ format: ['esm'] });
