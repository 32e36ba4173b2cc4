export {
  AccessDeniedError,
  BucketNotFoundError,
  type BucketStats,
  type BucketStatsResult,
  type CacheFacts,
  type CacheStatus,
  type GetBucketStatsOptions,
  isValidBucketName,
  type Logger,
  type ObjectStore,
  ObjectStoreError,
  type StatsMode,
  StatsOptionError,
  type StatsProgress,
  snakeCaseKeys,
} from '@deltaglider/core';
export {
  type ClientOptions,
  createClient,
  type DeltaGliderClient,
  SDK_VERSION,
} from './create-client.js';
export { fileEndpointPath, resolveObjectStore, type StoreOptions } from './resolve-object-store.js';
