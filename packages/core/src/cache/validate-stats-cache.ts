import { type BucketStats, bucketStatsSchema } from '../stats/bucket-stats-schema.js';
import { camelCaseKeys } from '../stats/case-conversion.js';
import type { ListingSummary } from '../stats/listing-fingerprint.js';
import type { StatsMode } from '../stats/stats-modes.js';
import { findInconsistency } from './cache-consistency.js';
import { STATS_CACHE_VERSION, type StatsCache } from './stats-cache-schema.js';

export interface CacheExpectations {
  readonly mode: StatsMode;
  readonly prefix: string;
  readonly listing: ListingSummary;
  readonly now: Date;
  /** Older caches are stale. Omit for no limit. */
  readonly maxAgeSeconds?: number | undefined;
}

/**
 * - `valid`: the cache describes exactly this listing; serve it.
 * - `stale`: it describes another listing (or is too old, or lacks our fingerprint); recompute.
 * - `unusable`: it is not a cache we can trust at all (version, mode); warn and recompute.
 */
/**
 * A `computed_at` this far ahead of our clock is taken as written by a machine whose clock is
 * fast: its age cannot be known, so a `maxAgeSeconds` limit treats it as stale.
 */
export const CLOCK_SKEW_TOLERANCE_SECONDS = 60;

/** Seconds `computed_at` lies ahead of `now` beyond the tolerance; 0 when it does not. */
export function secondsInFuture(computedAt: Date, now: Date): number {
  const ahead = (computedAt.getTime() - now.getTime()) / 1000;
  return ahead > CLOCK_SKEW_TOLERANCE_SECONDS ? Math.round(ahead) : 0;
}

export type CacheVerdict =
  | { readonly kind: 'valid'; readonly stats: BucketStats; readonly computedAt: Date }
  | { readonly kind: 'stale'; readonly reason: string }
  | { readonly kind: 'unusable'; readonly reason: string };

export function validateStatsCache(cache: StatsCache, expected: CacheExpectations): CacheVerdict {
  if (cache.version !== STATS_CACHE_VERSION) {
    return {
      kind: 'unusable',
      reason: `cache format ${JSON.stringify(cache.version)} is not ${STATS_CACHE_VERSION}`,
    };
  }
  if (cache.mode !== expected.mode || (cache.stats.mode ?? expected.mode) !== expected.mode) {
    return {
      kind: 'unusable',
      reason: `cache holds ${JSON.stringify(cache.mode)} stats, not ${expected.mode}`,
    };
  }
  const { validation } = cache;
  const { listing } = expected;
  if (validation.fingerprint === undefined) {
    return { kind: 'stale', reason: 'cache has no listing fingerprint (written by another tool)' };
  }
  if ((validation.prefix ?? '') !== expected.prefix) {
    return { kind: 'stale', reason: 'cache covers another prefix' };
  }
  if (validation.object_count !== listing.objectCount) {
    return {
      kind: 'stale',
      reason: `object count changed (${validation.object_count} -> ${listing.objectCount})`,
    };
  }
  if (validation.compressed_size !== listing.listedBytes) {
    return {
      kind: 'stale',
      reason: `listed bytes changed (${validation.compressed_size} -> ${listing.listedBytes})`,
    };
  }
  if (validation.fingerprint !== listing.fingerprint) {
    return { kind: 'stale', reason: 'an object was replaced (fingerprint differs)' };
  }
  const computedAt = new Date(cache.computed_at);
  const ageSeconds = (expected.now.getTime() - computedAt.getTime()) / 1000;
  const ahead = secondsInFuture(computedAt, expected.now);
  if (expected.maxAgeSeconds !== undefined && ahead > 0) {
    return {
      kind: 'stale',
      reason: `cache was computed ${ahead} s in the future (another machine's clock?), so its age is unknown`,
    };
  }
  if (expected.maxAgeSeconds !== undefined && ageSeconds > expected.maxAgeSeconds) {
    return {
      kind: 'stale',
      reason: `cache is ${Math.round(ageSeconds)} s old, over the ${expected.maxAgeSeconds} s limit`,
    };
  }
  // Our writer always stores the full stats; a matching cache without them was forged.
  const complete = bucketStatsSchema.safeParse(cache.stats);
  if (!complete.success) return { kind: 'stale', reason: 'cache lacks the extended stats fields' };
  if (complete.data.incomplete || complete.data.object_limit_reached) {
    return { kind: 'stale', reason: 'cache holds an incomplete result' };
  }
  const contradiction = findInconsistency(complete.data, listing);
  if (contradiction !== undefined) {
    return { kind: 'unusable', reason: `its numbers do not add up: ${contradiction}` };
  }
  return { kind: 'valid', stats: camelCaseKeys(complete.data), computedAt };
}
