import type { BucketStatsResult, CacheStatus, StatsMode } from '@deltaglider/core';

/** How a client's stats calls used the stats cache since it was created. */
export interface CacheStatistics {
  /** Calls answered from a cache that matched the bucket's listing. */
  readonly hits: number;
  /** Calls that found no cache and computed. */
  readonly misses: number;
  /** Calls that found a cache the bucket had moved on from, and recomputed. */
  readonly stale: number;
  /** Calls told to recompute (`refreshCache`). */
  readonly refreshed: number;
  /** Calls that got past cache trouble: a damaged cache, or a cache write that failed. */
  readonly errors: number;
  /** Per bucket, prefix and mode, the most recent call: what it served and how old that was. */
  readonly latest: readonly LatestStats[];
}

export interface LatestStats {
  readonly bucket: string;
  readonly prefix: string;
  readonly mode: StatsMode;
  readonly status: CacheStatus;
  /** Age of the numbers that call returned (0 when it computed them), as of the call. */
  readonly ageSeconds: number;
  /** When that call ended (ISO 8601). */
  readonly at: string;
}

/** Counts what each stats call's `cache` says. */
export class CacheStatisticsRecorder {
  private counts = { hits: 0, misses: 0, stale: 0, refreshed: 0, errors: 0 };
  private readonly latest = new Map<string, LatestStats>();

  record(result: BucketStatsResult, at: Date): void {
    const { status, trouble, ageSeconds } = result.cache;
    if (status === 'hit') this.counts.hits++;
    else if (status === 'miss') this.counts.misses++;
    else if (status === 'stale') this.counts.stale++;
    else if (status === 'refreshed') this.counts.refreshed++;
    if (trouble) this.counts.errors++;
    const { bucket, prefix, mode } = result;
    this.latest.set(JSON.stringify([bucket, prefix, mode]), {
      bucket,
      prefix,
      mode,
      status,
      ageSeconds,
      at: at.toISOString(),
    });
  }

  snapshot(): CacheStatistics {
    return { ...this.counts, latest: [...this.latest.values()] };
  }
}
