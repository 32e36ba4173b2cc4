import { type ForeignCache, readOwnStatsCache, readStatsCache } from '../cache/stats-cache-io.js';
import { secondsInFuture, validateStatsCache } from '../cache/validate-stats-cache.js';
import {
  KNOWN_ORIGINALS_KEY,
  normalizePrefix,
  ownStatsCacheKey,
  statsCacheKey,
} from '../layout/bucket-layout.js';
import { listAllObjects } from '../listing/list-all-objects.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { silentLogger } from '../ports/logger.js';
import type { ObjectStore } from '../ports/object-store.js';
import { BucketStatsAggregator } from '../stats/bucket-stats-aggregator.js';
import { type StatsMode, statsModes } from '../stats/stats-modes.js';

export interface ModeCacheStatus {
  readonly mode: StatsMode;
  readonly key: string;
  /** `fresh`: valid for the bucket as it is now; `stale`: would be recomputed; `unreadable`: damaged. */
  readonly state: 'missing' | 'fresh' | 'stale' | 'unreadable';
  readonly reason?: string;
  readonly computedAt?: string;
  readonly ageSeconds?: number;
  readonly sizeBytes?: number;
  /** Another tool's cache at the shared key, which we leave alone (ours is then at `key`). */
  readonly foreign?: ForeignCache;
}

export interface CacheStatusOptions {
  readonly prefix?: string | undefined;
  readonly clock?: Clock | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Per mode: is there a cache, how old, and would the next stats call serve it? One LIST pass. */
export async function getCacheStatus(
  store: ObjectStore,
  bucket: string,
  options: CacheStatusOptions = {},
): Promise<ModeCacheStatus[]> {
  const prefix = normalizePrefix(options.prefix);
  const signal = options.signal ? { signal: options.signal } : {};
  const now = (options.clock ?? systemClock).now();
  // Only the listing's fingerprint is wanted here.
  const aggregator = new BucketStatsAggregator({ sampling: false });
  for await (const page of listAllObjects(store, bucket, { prefix, ...signal })) {
    for (const object of page) aggregator.add(object);
  }
  const listing = aggregator.fingerprint.summary();
  return Promise.all(
    statsModes.map(async (mode): Promise<ModeCacheStatus> => {
      const located = await readOwnStatsCache({
        store,
        bucket,
        key: statsCacheKey(mode, prefix),
        logger: silentLogger,
        ...signal,
      });
      const { read, key } = located;
      const foreign = located.foreign ? { foreign: located.foreign } : {};
      if (read.kind === 'absent') return { mode, key, state: 'missing', ...foreign };
      if (read.kind === 'unreadable' || read.kind === 'foreign') {
        return {
          mode,
          key,
          ...foreign,
          state: 'unreadable',
          reason: read.kind === 'foreign' ? `it holds ${read.writer}'s cache` : read.reason,
          ...(read.size === undefined ? {} : { sizeBytes: read.size }),
        };
      }
      const computedAt = read.cache.computed_at;
      const ageSeconds = Math.max(0, (now.getTime() - Date.parse(computedAt)) / 1000);
      const verdict = validateStatsCache(read.cache, { mode, prefix, listing, now });
      const ahead = secondsInFuture(new Date(computedAt), now);
      const skew = `computed_at is ${ahead} s in the future (clock skew): stale for any --max-age`;
      const reason = verdict.kind === 'valid' ? (ahead > 0 ? skew : undefined) : verdict.reason;
      return {
        mode,
        key,
        state:
          verdict.kind === 'valid' ? 'fresh' : verdict.kind === 'stale' ? 'stale' : 'unreadable',
        ...(reason === undefined ? {} : { reason }),
        computedAt,
        ageSeconds,
        sizeBytes: read.size,
        ...foreign,
      };
    }),
  );
}

/** What `clearStatsCache` did: our caches deleted, other tools' caches left in place. */
export interface ClearedCaches {
  readonly deleted: readonly string[];
  readonly kept: readonly ForeignCache[];
}

/**
 * Deletes our stats caches: one mode's, or every mode's plus the known-originals companion,
 * at the shared key or at our sibling key. Another tool's cache at the shared key is kept and
 * reported. The next stats call recomputes.
 */
export async function clearStatsCache(
  store: ObjectStore,
  bucket: string,
  options: {
    mode?: StatsMode | undefined;
    prefix?: string | undefined;
    signal?: AbortSignal | undefined;
  } = {},
): Promise<ClearedCaches> {
  const signal = options.signal ? { signal: options.signal } : {};
  const modes = options.mode ? [options.mode] : statsModes;
  const deleted: string[] = [];
  const kept: ForeignCache[] = [];
  const remove = async (key: string) => {
    if (!(await store.head(bucket, key, signal))) return;
    await store.delete(bucket, key, signal);
    deleted.push(key);
  };
  for (const mode of modes) {
    const shared = statsCacheKey(mode, options.prefix);
    const read = await readStatsCache({
      store,
      bucket,
      key: shared,
      logger: silentLogger,
      ...signal,
    });
    if (read.kind === 'foreign') kept.push({ key: shared, writer: read.writer });
    else if (read.kind !== 'absent') await remove(shared);
    await remove(ownStatsCacheKey(shared));
  }
  if (!options.mode) await remove(KNOWN_ORIGINALS_KEY);
  return { deleted, kept };
}
