import { readOwnStatsCache } from '../cache/stats-cache-io.js';
import { STATS_CACHE_VERSION } from '../cache/stats-cache-schema.js';
import { normalizePrefix, statsCacheKey } from '../layout/bucket-layout.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { silentLogger } from '../ports/logger.js';
import type { ObjectStore } from '../ports/object-store.js';
import { type BucketStats, bucketStatsSchema } from '../stats/bucket-stats-schema.js';
import { camelCaseKeys } from '../stats/case-conversion.js';
import type { StatsMode } from '../stats/stats-modes.js';

/** Numbers a stats cache holds, taken as they are. */
export interface CachedStats {
  readonly stats: BucketStats;
  /** The cache object it came from, under `.deltaglider/`. */
  readonly key: string;
  readonly computedAt: string;
  readonly ageSeconds: number;
}

/**
 * The numbers a bucket's stats cache holds for a mode and prefix, without checking them against
 * the bucket (no LIST, one GET): what a monitor shows while it recomputes, labelled with their
 * age. Undefined when there is no cache of ours, or it is damaged, another version's, or
 * incomplete. `getBucketStats` is the call that validates.
 */
export async function readCachedStats(
  store: ObjectStore,
  bucket: string,
  options: {
    readonly mode: StatsMode;
    readonly prefix?: string | undefined;
    readonly clock?: Clock | undefined;
    readonly signal?: AbortSignal | undefined;
  },
): Promise<CachedStats | undefined> {
  const prefix = normalizePrefix(options.prefix);
  const { read, key } = await readOwnStatsCache({
    store,
    bucket,
    key: statsCacheKey(options.mode, prefix),
    logger: silentLogger,
    signal: options.signal,
  });
  if (read.kind !== 'found') return undefined;
  const { cache } = read;
  if (
    cache.version !== STATS_CACHE_VERSION ||
    cache.mode !== options.mode ||
    (cache.validation.prefix ?? '') !== prefix
  )
    return undefined;
  const complete = bucketStatsSchema.safeParse(cache.stats);
  if (!complete.success || complete.data.incomplete) return undefined;
  const now = (options.clock ?? systemClock).now();
  return {
    stats: camelCaseKeys(complete.data),
    key,
    computedAt: cache.computed_at,
    ageSeconds: Math.max(0, (now.getTime() - Date.parse(cache.computed_at)) / 1000),
  };
}
