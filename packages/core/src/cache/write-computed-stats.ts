import type { Logger } from '../ports/logger.js';
import type { ObjectStore } from '../ports/object-store.js';
import {
  type cachePlan,
  type LocalCacheContext,
  writeLocalStatsCache,
} from './local-stats-cache.js';
import { bucketCacheWrite, pruneCacheVersions, sameHeadlineNumbers } from './protected-bucket.js';
import { type CacheRead, writeStatsCache } from './stats-cache-io.js';
import type { StatsCache } from './stats-cache-schema.js';

export interface ComputedStatsTarget {
  readonly store: ObjectStore;
  readonly bucket: string;
  /** Our cache's key in the bucket (the shared key, or ours beside a foreign cache). */
  readonly key: string;
  readonly logger: Logger;
  readonly plan: ReturnType<typeof cachePlan>;
  /** What the bucket held at `key` when read: the version a conditional write replaces. */
  readonly bucketRead: CacheRead | undefined;
  /** The cache validated this call (none on --refresh): unchanged numbers are not rewritten. */
  readonly validatedRead: CacheRead | undefined;
  readonly local: LocalCacheContext | undefined;
  readonly localRead: CacheRead | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Writes freshly computed stats where the plan and the bucket allow: into the bucket unless it
 * has Object Lock default retention, was denied before, or (versioned) would only get the same
 * numbers again; then onto this machine wherever the bucket was not written. Returns where the
 * cache landed, and whether a write that was due failed (it was warned about).
 */
export async function writeComputedStats(
  cache: StatsCache,
  target: ComputedStatsTarget,
): Promise<{ location: 'bucket' | 'local' | undefined; failed: boolean }> {
  const { store, bucket, key, logger, plan, local } = target;
  const request = target.signal ? { signal: target.signal } : {};
  const protection = plan.writeBucket ? await bucketCacheWrite(store, bucket, request) : undefined;
  if (protection === 'local-only')
    logger.warn(
      `bucket "${bucket}" has Object Lock default retention: every cache write would be kept for the retention period; stats are cached on this machine instead`,
    );
  // On a versioned bucket a rewrite of the same numbers only leaves a billed old version.
  const unchanged =
    protection === 'write-then-prune' &&
    target.validatedRead?.kind === 'found' &&
    sameHeadlineNumbers(cache.stats, target.validatedRead.cache.stats);
  const writesBucket = plan.writeBucket && protection !== 'local-only' && !unchanged;
  const outcome = writesBucket
    ? await writeStatsCache(
        {
          store,
          bucket,
          key,
          logger,
          ...request,
          deniedHint: local ? 'kept on this machine instead, from now on' : undefined,
        },
        cache,
        target.bucketRead,
      )
    : undefined;
  if (outcome === 'written' && protection === 'write-then-prune')
    await pruneCacheVersions(store, bucket, key, logger, request);
  if (outcome === 'denied' && local) local.local.deniedBuckets.add(bucket);
  const writesLocal =
    plan.writeLocal || outcome === 'denied' || (plan.writeBucket && !writesBucket);
  const localOutcome =
    local && writesLocal ? await writeLocalStatsCache(local, cache, target.localRead) : undefined;
  const location =
    outcome === 'written' ? 'bucket' : localOutcome === 'written' ? 'local' : undefined;
  // Denied or failed: warned about, and trouble to count (a lost race to another writer is not).
  const failed = outcome === 'failed' || outcome === 'denied' || localOutcome === 'failed';
  return { location, failed };
}
