export {
  createMemoryObjectStore,
  type MemoryObjectStore,
  type MemoryObjectStoreOptions,
} from './memory-object-store.js';
