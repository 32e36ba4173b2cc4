export { type CacheWriter, identifyCacheWriter } from './cache/cache-writer.js';
export { KNOWN_ORIGINALS_KEY } from './cache/known-originals.js';
export type { CacheLocation, LocalStatsCache } from './cache/local-stats-cache.js';
export {
  type CacheRead,
  type CacheWriteOutcome,
  type ForeignCache,
  type OwnCacheRead,
  readOwnStatsCache,
  readStatsCache,
  writeStatsCache,
} from './cache/stats-cache-io.js';
export { normalizeStatsPrefix, ownStatsCacheKey, statsCacheKey } from './cache/stats-cache-key.js';
export {
  MAX_STATS_CACHE_BYTES,
  STATS_CACHE_VERSION,
  type StatsCache,
  statsCacheSchema,
} from './cache/stats-cache-schema.js';
export {
  type CacheExpectations,
  type CacheVerdict,
  validateStatsCache,
} from './cache/validate-stats-cache.js';
export {
  type DeltaDependencies,
  type FetchedReference,
  fetchReference,
  type ReferenceCache,
  sha256Hex,
} from './delta/delta-dependencies.js';
export {
  deltaMetadata,
  describeStoredFile,
  directMetadata,
  formatCreatedAt,
  type MetadataContext,
  referenceMetadata,
} from './delta/deltaglider-metadata.js';
export {
  DEFAULT_REFERENCE_INTENT_TIMINGS,
  REFERENCE_INTENTS_PREFIX,
  type ReferenceIntentTimings,
} from './delta/reference-intents.js';
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
export { isAbortError } from './errors/is-abort-error.js';
export { messageOf } from './errors/message-of.js';
export { NotAStoreError } from './errors/not-a-store-error.js';
export { ObjectNotFoundError } from './errors/object-not-found-error.js';
export {
  ObjectStoreError,
  type ObjectStoreErrorCode,
  type ObjectStoreErrorOptions,
} from './errors/object-store-error.js';
export { PreconditionFailedError } from './errors/precondition-failed-error.js';
export { ReservedKeyError } from './errors/reserved-key-error.js';
export { StatsOptionError } from './errors/stats-option-error.js';
export { StoreUnavailableError } from './errors/store-unavailable-error.js';
export { UnsafeKeyError } from './errors/unsafe-key-error.js';
export { WrongRegionError } from './errors/wrong-region-error.js';
export {
  type ClassifiedKey,
  classifyKey,
  INTERNAL_PREFIX,
  type KeyKind,
  referenceKeyOf,
  refuseReservedKey,
} from './layout/bucket-layout.js';
export { isDeltaCandidate } from './layout/delta-candidate.js';
export { deleteObjects } from './listing/delete-objects.js';
export { type ListAllObjectsOptions, listAllObjects } from './listing/list-all-objects.js';
export {
  type ListInRangesOptions,
  listInRanges,
  RangeBoundaryCollector,
} from './listing/list-in-ranges.js';
export { readMetadataField, readMetadataSize } from './metadata/read-metadata-field.js';
export {
  type CacheStatusOptions,
  type ClearedCaches,
  clearStatsCache,
  getCacheStatus,
  type ModeCacheStatus,
} from './operations/cache-status.js';
export {
  type DownloadResult,
  type DownloadWriter,
  downloadObject,
} from './operations/download-object.js';
export {
  type BucketStatsResult,
  type CacheFacts,
  type CacheStatus,
  DEFAULT_HEAD_CONCURRENCY,
  type GetBucketStatsOptions,
  getBucketStats,
  type StatsDependencies,
  type StatsProgress,
} from './operations/get-bucket-stats.js';
export {
  type ListUserObjectsOptions,
  listUserObjects,
  type UserListingPage,
  type UserObject,
} from './operations/list-user-objects.js';
export {
  type RemovalOptions,
  type RemovalResult,
  removeObject,
  removeRecursive,
} from './operations/remove-objects.js';
export {
  DEFAULT_MAX_RATIO,
  type StoredAs,
  type UploadOptions,
  type UploadResult,
  uploadObject,
} from './operations/upload-object.js';
export { type VerifyResult, verifyObject } from './operations/verify-object.js';
export { type Clock, systemClock } from './ports/clock.js';
export type { DeltaCodec, SpooledBody } from './ports/delta-codec.js';
export { type Logger, silentLogger } from './ports/logger.js';
export {
  type BodySource,
  type BucketProtection,
  type ByteRange,
  type DeleteFailure,
  type DeleteManyResult,
  type ListOptions,
  type ListPage,
  MAX_LIST_PAGE_SIZE,
  type ObjectHead,
  type ObjectStore,
  type ObjectStoreCapabilities,
  type ObjectSummary,
  type PutBody,
  type PutOptions,
  type PutResult,
  type RequestOptions,
  type StoredObject,
} from './ports/object-store.js';
export {
  BucketStatsAggregator,
  type DeltaInDeltaspace,
  type FinishOptions,
} from './stats/bucket-stats-aggregator.js';
export {
  type BucketStats,
  bucketStatsSchema,
  cachedStatsSchema,
  type DeltaspaceStats,
  deltaspaceStatsSchema,
  MAX_CACHED_DELTASPACES,
  type OrphanedReference,
  type StatsMode,
  statsModeSchema,
  statsModes,
  type WireBucketStats,
} from './stats/bucket-stats-schema.js';
export {
  type CamelCasedKeys,
  camelCaseKeys,
  type SnakeCasedKeys,
  snakeCaseKeys,
} from './stats/case-conversion.js';
export {
  type DeltaspaceHealth,
  deltaspaceHealthGrades,
  EXCELLENT_MEDIAN_DELTA_BYTES,
  gradeDeltaspace,
} from './stats/deltaspace-health.js';
export { ListingFingerprint, type ListingSummary } from './stats/listing-fingerprint.js';
export { assertValidBucketName, isValidBucketName } from './store-support/bucket-name.js';
export {
  buildListPage,
  type ListPosition,
  resolveListPosition,
  resolveMaxKeys,
} from './store-support/build-list-page.js';
export { compareKeys } from './store-support/compare-keys.js';
export { fileSource } from './store-support/file-source.js';
export { decodeListCursor, encodeListCursor } from './store-support/list-cursor.js';
export { lowerCaseMetadataKeys, toObjectSummary } from './store-support/object-records.js';
export {
  asBodySource,
  bytesSource,
  putBodySize,
  readPutBody,
} from './store-support/put-body.js';
export { BodyTooLargeError, readBody } from './store-support/read-body.js';
