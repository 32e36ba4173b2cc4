import type { Logger } from '../ports/logger.js';
import type { ObjectStore } from '../ports/object-store.js';
import {
  type CacheRead,
  type CacheWriteOutcome,
  readStatsCache,
  writeStatsCache,
} from './stats-cache-io.js';
import type { StatsCache } from './stats-cache-schema.js';

/**
 * Where stats caches go: `bucket` (default, shared by everyone reading the bucket), `local`
 * (this machine only: for users who may not write the bucket), or `both`.
 */
export type CacheLocation = 'bucket' | 'local' | 'both';

/**
 * Stats caches kept off the bucket, on this machine (the SDK uses a directory under
 * `$DG_CACHE_DIR`). The same documents as in the bucket, validated by the same listing
 * fingerprint, under `{namespace}/{cache key}` so endpoints and buckets never share one.
 */
export interface LocalStatsCache {
  readonly store: ObjectStore;
  readonly bucket: string;
  /** Tells endpoints and buckets apart, e.g. a hash of the endpoint plus the bucket name. */
  namespaceOf(bucket: string): string;
  /**
   * Buckets whose cache write was denied in this process: not tried again (a `--watch` loop
   * would otherwise be refused, and warned about, on every call); their cache stays local.
   */
  readonly deniedBuckets: Set<string>;
}

export interface LocalCacheContext {
  readonly local: LocalStatsCache;
  readonly bucket: string;
  readonly key: string;
  readonly logger: Logger;
  readonly signal?: AbortSignal | undefined;
}

function ioContext(context: LocalCacheContext) {
  const { local, bucket, key, logger, signal } = context;
  return {
    store: local.store,
    bucket: local.bucket,
    key: `${local.namespaceOf(bucket)}/${key}`,
    logger,
    signal,
  };
}

/** Reads the local copy of a cache; trouble is a warning, never a failure, as in the bucket. */
export function readLocalStatsCache(context: LocalCacheContext): Promise<CacheRead> {
  return readStatsCache(ioContext(context));
}

export function writeLocalStatsCache(
  context: LocalCacheContext,
  cache: StatsCache,
  previous: CacheRead | undefined,
): Promise<CacheWriteOutcome> {
  return writeStatsCache(ioContext(context), cache, previous);
}

/** Which caches a stats call reads and writes, given the location and what was denied before. */
export function cachePlan(
  location: CacheLocation,
  local: LocalStatsCache | undefined,
  bucket: string,
  bucketWritable: boolean,
): { readBucket: boolean; writeBucket: boolean; readLocal: boolean; writeLocal: boolean } {
  const denied = local?.deniedBuckets.has(bucket) ?? false;
  const writeBucket = location !== 'local' && bucketWritable && !denied;
  return {
    readBucket: location !== 'local',
    writeBucket,
    // A local read is a file read, validated like any cache: always worth a look, so a user
    // whose earlier call was denied the bucket write gets a warm answer in the next process.
    readLocal: local !== undefined,
    writeLocal: local !== undefined && (location !== 'bucket' || !writeBucket),
  };
}
