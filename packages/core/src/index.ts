// @deltaglider/core: the port (ObjectStore and the other ports), the use cases with their
// options and results, and the errors. Helpers for adapter authors are at
// `@deltaglider/core/adapter-kit`; everything else is internal.

// The ports
export type { CacheLocation, LocalStatsCache } from './cache/local-stats-cache.js';
// The use cases

export { type ConditionalWriteSupport, ConditionalWrites } from './delta/conditional-writes.js';
export type { DeltaDependencies, ReferenceCache } from './delta/delta-dependencies.js';
// The errors
export { AccessDeniedError } from './errors/access-denied-error.js';
export { BucketNotFoundError } from './errors/bucket-not-found-error.js';
export { CodecError } from './errors/codec-error.js';
export { CodecUnavailableError } from './errors/codec-unavailable-error.js';
export { DamagedObjectError } from './errors/damaged-object-error.js';
export {
  DeltaGliderError,
  type DeltaGliderErrorCode,
  type DeltaGliderErrorOptions,
} from './errors/deltaglider-error.js';
export { IntegrityError } from './errors/integrity-error.js';
export { InvalidArgumentError } from './errors/invalid-argument-error.js';
export { InvalidKeyError } from './errors/invalid-key-error.js';
export { InventoryError } from './errors/inventory-error.js';
export { isAbortError } from './errors/is-abort-error.js';
export { messageOf } from './errors/message-of.js';
export { NotAStoreError } from './errors/not-a-store-error.js';
export { type NumberRange, type NumberRule, numberProblem } from './errors/number-problem.js';
export { ObjectNotFoundError } from './errors/object-not-found-error.js';
export {
  ObjectStoreError,
  type ObjectStoreErrorCode,
  type ObjectStoreErrorOptions,
} from './errors/object-store-error.js';
export { PreconditionFailedError } from './errors/precondition-failed-error.js';
export { ReservedKeyError } from './errors/reserved-key-error.js';
export { SourceChangedError } from './errors/source-changed-error.js';
export { StatsOptionError } from './errors/stats-option-error.js';
export { StoreUnavailableError } from './errors/store-unavailable-error.js';
export { UnsafeKeyError } from './errors/unsafe-key-error.js';
export { WrongRegionError } from './errors/wrong-region-error.js';
export type { HashAlgorithm, HashFactory, IncrementalHash } from './hashing/incremental-hash.js';
export { pureHashes } from './hashing/pure-hashes.js';
export {
  type InventoryColumns,
  type InventoryField,
  inventoryFields,
} from './inventory/inventory-columns.js';
export { checkReportDate } from './inventory/inventory-dates.js';
export type {
  InventoryDataFile,
  InventoryFormat,
  InventoryManifest,
} from './inventory/inventory-manifest.js';
export type { InventoryRow } from './inventory/inventory-row.js';
export type { InventorySource } from './inventory/inventory-source.js';
export { type SqlFlavour, sqlFlavours } from './inventory/inventory-sql.js';
export type {
  InventoryTotals,
  ObjectTotal,
  StorageClassTotal,
} from './inventory/inventory-stats-folder.js';
export { latestInventoryReport } from './inventory/open-inventory-report.js';
export {
  isInternalKey,
  normalizePrefix,
  refuseReservedKey,
  statsCacheKey,
} from './layout/bucket-layout.js';
// What the use cases answer in, and the bucket layout they keep
export { isDeltaCandidate } from './layout/delta-candidate.js';
export {
  FACTS_PREFIX,
  factsKeyOf,
  type ListingFact,
  parseFactsKey,
} from './layout/listing-facts.js';
export { deleteObjects } from './listing/delete-objects.js';
export { type FilterRule, keyFilter } from './listing/key-filter.js';
export { type ListAllObjectsOptions, listAllObjects } from './listing/list-all-objects.js';
export { ListingFactsKeeper } from './listing/listing-facts-keeper.js';
export {
  type ListingFactsSetting,
  listingFactsSettings,
} from './listing/listing-facts-setting.js';
export { ListingOrderError } from './listing/listing-order-error.js';
export {
  type AbortUploadsOptions,
  type AbortUploadsResult,
  abortUnfinishedUploads,
} from './operations/billing/abort-unfinished-uploads.js';
export type { Billing } from './operations/billing/billing.js';
export { estimateMonthlyCost, type MonthlyCost } from './operations/billing/monthly-cost.js';
export {
  type PricePreset,
  pricePresetNames,
  pricePresets,
  type StoragePrices,
  storagePricesOf,
} from './operations/billing/storage-prices.js';
export type { UploadTotals } from './operations/billing/unfinished-uploads.js';
export type { DeltaspaceVersions, VersionTotals } from './operations/billing/version-totals.js';
export {
  type CacheStatusOptions,
  type ClearedCaches,
  clearStatsCache,
  getCacheStatus,
  type ModeCacheStatus,
} from './operations/cache-status.js';
export {
  collectGarbage,
  type GarbageOptions,
  type GarbageReport,
} from './operations/collect-garbage.js';
export {
  type DownloadOptions,
  type DownloadResult,
  type DownloadWriter,
  downloadObject,
} from './operations/download-object.js';
export { getBucketStats } from './operations/get-bucket-stats.js';
export { getInventorySql, type InventorySqlRequest } from './operations/get-inventory-sql.js';
export {
  getInventoryStats,
  type InventoryFacts,
  type InventoryStats,
  type InventoryStatsOptions,
} from './operations/get-inventory-stats.js';
export {
  HISTORY_KEY,
  type HistoryPoint,
  type MonthlyAverage,
  monthlyAverage,
} from './operations/history/stats-history.js';
export {
  getStatsHistory,
  type StatsHistoryResult,
} from './operations/history/stats-history-operations.js';
export {
  type ListUserObjectsOptions,
  listUserObjects,
  type UserListingPage,
  type UserObject,
} from './operations/list-user-objects.js';
export { type CachedStats, readCachedStats } from './operations/read-cached-stats.js';
export {
  type RecursiveRemovalOptions,
  type RemovalOptions,
  type RemovalResult,
  removeObject,
  removeRecursive,
} from './operations/remove-objects.js';
export type {
  BucketStatsResult,
  CacheFacts,
  CacheStatus,
  CacheTrouble,
  GetBucketStatsOptions,
  ListingStatsResult,
  StatsDependencies,
  StatsProgress,
} from './operations/stats/stats-options.js';
export {
  type StoredAs,
  type UploadOptions,
  type UploadResult,
  uploadObject,
} from './operations/upload-object.js';
export { type VerifyResult, verifyObject } from './operations/verify-object.js';
export { type Clock, systemClock } from './ports/clock.js';
export type { DeltaCodec, SpooledBody } from './ports/delta-codec.js';
export { type Logger, silentLogger } from './ports/logger.js';
export type {
  BodySource,
  BucketProtection,
  BucketSummary,
  ByteRange,
  DeleteFailure,
  DeleteManyResult,
  ListOptions,
  ListPage,
  ListUploadsOptions,
  ListVersionsOptions,
  ObjectHead,
  ObjectStore,
  ObjectStoreCapabilities,
  ObjectSummary,
  ObjectVersion,
  PutBody,
  PutOptions,
  PutResult,
  RequestOptions,
  StoredObject,
  UnfinishedUpload,
  UploadPage,
  UploadPart,
  VersionPage,
} from './ports/object-store.js';
export {
  type BucketStats,
  bucketStatsSchema,
  type DeltaspaceStats,
  type OrphanedReference,
  orphanedReferenceSchema,
  type WireBucketStats,
} from './stats/bucket-stats-schema.js';
export { type SnakeCasedKeys, snakeCaseKeys } from './stats/case-conversion.js';
export type { DeltaspaceHealth } from './stats/deltaspace-health.js';
export { DEFAULT_STATS_MODE } from './stats/stats-mode-plan.js';
export { type StatsMode, statsModes } from './stats/stats-modes.js';
