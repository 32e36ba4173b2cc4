export { fileSource } from './file-source.js';
export {
  createFsObjectStore,
  type FsObjectStore,
  type FsObjectStoreOptions,
  OBJECT_CHUNK_BYTES,
} from './fs-object-store.js';
export { writeNewFile } from './write-new-file.js';
