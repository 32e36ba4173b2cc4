import { libraryConfig } from '../../tsup.library.js';

// p-limit ships ESM only, which a CommonJS build cannot `require` portably: it is bundled in
// (a few dozen lines), so both builds carry the same one. Two entries: the root (port, use
// cases, errors) and `adapter-kit` (helpers for ObjectStore authors).
export default libraryConfig({
  entry: ['src/index.ts', 'src/adapter-kit.ts'],
  noExternal: ['p-limit', 'yocto-queue'],
});
