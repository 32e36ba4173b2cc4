export {
  AccessDeniedError,
  BucketNotFoundError,
  type BucketStats,
  type BucketStatsResult,
  type CacheFacts,
  type CacheStatus,
  CodecError,
  CodecUnavailableError,
  DeltaGliderError,
  type DownloadResult,
  type GetBucketStatsOptions,
  IntegrityError,
  isValidBucketName,
  type Logger,
  ObjectNotFoundError,
  type ObjectStore,
  ObjectStoreError,
  type RemovalResult,
  ReservedKeyError,
  type StatsMode,
  StatsOptionError,
  type StatsProgress,
  snakeCaseKeys,
  type UploadOptions,
  type UploadResult,
  type UserListingPage,
  type UserObject,
  type VerifyResult,
} from '@deltaglider/core';
export {
  type ClientOptions,
  createClient,
  type DeltaGliderClient,
  SDK_VERSION,
} from './create-client.js';
export { resolveDownloadPath, uploadKeyFor, writeFileAtomically } from './file-transfer.js';
export { createDirectoryReferenceCache, defaultCacheDirectory } from './reference-cache.js';
export { fileEndpointPath, resolveObjectStore, type StoreOptions } from './resolve-object-store.js';
