import { libraryConfig } from '../../tsup.library.js';

// p-limit ships ESM only, which a CommonJS build cannot `require` portably: it is bundled in
// (a few dozen lines), so both builds carry the same one.
export default libraryConfig({ noExternal: ['p-limit', 'yocto-queue'] });
