export { OBJECT_CHUNK_BYTES } from './file-chunks.js';
export { fileSource } from './file-source.js';
export {
  createFsObjectStore,
  type FsObjectStore,
  type FsObjectStoreOptions,
} from './fs-object-store.js';
export { writeNewFile } from './write-new-file.js';
