import { normalizePrefix } from '../layout/bucket-layout.js';
import { ListingOrderError } from '../listing/listing-order-error.js';
import { silentLogger } from '../ports/logger.js';
import { DEFAULT_STATS_MODE } from '../stats/stats-mode-plan.js';
import { billingOf } from './billing/billing.js';
import { recordStatsHistory } from './history/stats-history-operations.js';
import { computeStats } from './stats/compute-stats.js';
import { listForStats } from './stats/list-for-stats.js';
import { serveCachedStats } from './stats/serve-cached-stats.js';
import {
  type BucketStatsResult,
  checkStatsOptions,
  type GetBucketStatsOptions,
  type ListingStatsResult,
  type StatsDependencies,
  type StatsRunOptions,
} from './stats/stats-options.js';
import { startStatsRun } from './stats/stats-run.js';

/**
 * Bucket statistics, served from the in-bucket cache when it still describes the bucket.
 * Every call lists the bucket (the listing is the validation); cache trouble is logged and
 * never fatal; listing trouble always is.
 */
export async function getBucketStats(
  dependencies: StatsDependencies,
  bucket: string,
  options: GetBucketStatsOptions = {},
): Promise<BucketStatsResult> {
  const stats = await listingStats(dependencies, bucket, options);
  const billing = await billingOf(dependencies.store, bucket, stats, {
    prefix: normalizePrefix(options.prefix),
    versions: options.versions,
    uploads: options.uploads,
    byDeltaspace: options.byDeltaspace,
    signal: options.signal,
  });
  const result = { ...stats, billing };
  await recordStatsHistory(dependencies, bucket, result, options);
  return result;
}

async function listingStats(
  dependencies: StatsDependencies,
  bucket: string,
  options: GetBucketStatsOptions,
): Promise<ListingStatsResult> {
  try {
    return await statsOnce(dependencies, bucket, options);
  } catch (error) {
    if (!ListingOrderError.isInstance(error) || (options.listStrategy ?? 'auto') !== 'auto')
      throw error;
    // Cached without cut points, the next call pages sequentially from the start.
    (dependencies.logger ?? silentLogger).info(`${error.message}: listing sequentially instead`);
    return statsOnce(dependencies, bucket, {
      ...options,
      listStrategy: 'sequential',
      forgetRanges: true,
    });
  }
}

/** One pass: list while the caches are read, then serve a matching cache or compute anew. */
async function statsOnce(
  dependencies: StatsDependencies,
  bucket: string,
  options: StatsRunOptions,
): Promise<ListingStatsResult> {
  const mode = options.mode ?? DEFAULT_STATS_MODE;
  checkStatsOptions(mode, options);
  const run = startStatsRun(dependencies, bucket, options, mode);
  const listing = await listForStats(run);
  const judged = await run.cache.judge(run.aggregator.fingerprint.summary(), {
    now: run.clock.now(),
    maxAgeSeconds: options.maxAgeSeconds,
    byDeltaspace: options.byDeltaspace,
  });
  const { verdict } = judged;
  if (verdict?.kind === 'valid' && !listing.objectLimitReached && !judged.lacksBreakdown)
    return serveCachedStats(run, { ...judged, verdict });
  return computeStats(run, listing, judged);
}
