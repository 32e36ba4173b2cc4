export {
  type AbortUploadsResult,
  AccessDeniedError,
  type Billing,
  BucketNotFoundError,
  type BucketStats,
  type BucketStatsResult,
  type BucketSummary,
  type CachedStats,
  type CacheFacts,
  type CacheLocation,
  type CacheStatus,
  type CacheTrouble,
  CodecError,
  CodecUnavailableError,
  DEFAULT_STATS_MODE,
  DeltaGliderError,
  type DeltaspaceVersions,
  type DownloadResult,
  estimateMonthlyCost,
  type FilterRule,
  type GarbageReport,
  type GetBucketStatsOptions,
  type HistoryPoint,
  IntegrityError,
  InvalidArgumentError,
  InvalidKeyError,
  InventoryError,
  type InventoryFacts,
  type InventoryStats,
  isAbortError,
  keyFilter,
  type ListingFactsSetting,
  type LocalStatsCache,
  type Logger,
  listingFactsSettings,
  type ModeCacheStatus,
  type MonthlyAverage,
  type MonthlyCost,
  messageOf,
  type NumberRule,
  normalizePrefix,
  numberProblem,
  ObjectNotFoundError,
  type ObjectStore,
  ObjectStoreError,
  PreconditionFailedError,
  type PricePreset,
  pricePresetNames,
  pricePresets,
  type RecursiveRemovalOptions,
  type RemovalOptions,
  type RemovalResult,
  ReservedKeyError,
  SourceChangedError,
  type SqlFlavour,
  type StatsHistoryResult,
  type StatsMode,
  StatsOptionError,
  type StatsProgress,
  type StoragePrices,
  StoreUnavailableError,
  silentLogger,
  snakeCaseKeys,
  sqlFlavours,
  statsModes,
  storagePricesOf,
  UnsafeKeyError,
  type UploadOptions,
  type UploadResult,
  type UploadTotals,
  type UserListingPage,
  type UserObject,
  type VerifyResult,
  type VersionTotals,
} from '@deltaglider/core';
export { isValidBucketName } from '@deltaglider/core/adapter-kit';
export type { CacheStatistics, LatestStats } from './cache-statistics.js';
export { type CodecName, codecNames } from './codec-names.js';
export { createVcdiffCodec, type VcdiffCodecOptions } from './codecs/vcdiff-delta-codec.js';
export {
  type ClientOptions,
  createClient,
  type DeltaGliderClient,
} from './create-client.js';
export type {
  DirectoryTransferOptions,
  DirectoryTransferReport,
  DirectoryUploadOptions,
  TransferEvent,
} from './directory-transfers.js';
export { resolveDownloadPath, uploadKeyFor } from './file-transfer.js';
export { formatAge, formatBytes, formatCount, formatDuration } from './format-bytes.js';
export type { InventoryStatsRequest } from './inventory/inventory-source.js';
export { processTempDirectory } from './process-temp-directory.js';
export {
  createDirectoryReferenceCache,
  type DirectoryReferenceCache,
  type DirectoryReferenceCacheOptions,
  defaultCacheDirectory,
} from './reference-cache.js';
export type { StoreOptions } from './resolve-object-store.js';
export type { S3Settings } from './s3-settings.js';
export {
  type StatsJsonDocument,
  statsJsonSchema,
  statsJsonSchemaDocument,
} from './stats-json-schema.js';
export {
  registerStore,
  type StoreFactory,
  type StoreRequest,
  storeSchemes,
} from './store-registry.js';
export { DEFAULT_TRANSFER_CONCURRENCY } from './transfer-concurrency.js';
