import { STATS_CACHE_VERSION, type StatsCache } from '../../cache/stats-cache-schema.js';
import type { CacheJudgement } from '../../cache/stats-cache-session.js';
import { type BucketStats, MAX_CACHED_DELTASPACES } from '../../stats/bucket-stats-schema.js';
import { snakeCaseKeys } from '../../stats/case-conversion.js';
import { mergeKnownOriginals } from './head-runner.js';
import { resolvePolicyOf, type StatsListing } from './list-for-stats.js';
import type { CacheStatus, CacheTrouble, ListingStatsResult } from './stats-options.js';
import {
  logPhases,
  warnUnrecoverable,
  withBreakdownIfAsked,
  withoutBreakdown,
} from './stats-reporting.js';
import type { StatsRun } from './stats-run.js';

/**
 * No cache answered: the look-ups the mode needs run (facts and HEADs held during the
 * listing, and the samples), the stats are aggregated, and written to the cache unless incomplete.
 */
export async function computeStats(
  run: StatsRun,
  listing: StatsListing,
  judged: CacheJudgement,
): Promise<ListingStatsResult> {
  const { heads, aggregator, timer, logger, options } = run;
  await timer.time('heads', async () => {
    const policy = resolvePolicyOf(run);
    for (const delta of listing.heldDeltas) heads.schedule(delta, policy);
    if (run.plan.heads === 'sample')
      for (const delta of aggregator.sampleTargets(run.plan.samplesPerDeltaspace))
        heads.schedule(delta, 'sample');
    await heads.finish();
    await heads.reconcileFacts();
  });
  const stats = timer.timeSync('aggregate', () =>
    aggregator.finish({
      bucket: run.bucket,
      prefix: run.prefix,
      mode: run.mode,
      objectLimitReached: listing.objectLimitReached,
    }),
  );
  const computedAt = run.clock.now();
  await rememberOriginals(run);

  let written: Awaited<ReturnType<typeof run.cache.writeComputed>> | undefined;
  if (run.cache.enabled && !stats.incomplete) {
    written = await timer.time('cache write', () =>
      run.cache.writeComputed(cacheOf(run, listing, judged, stats, computedAt), judged),
    );
  } else if (run.cache.enabled) {
    logger.info('stats are incomplete: not cached');
  }
  logPhases(logger, timer, 'computed');
  warnUnrecoverable(logger, run.bucket, stats);
  const writtenTo = written?.location;
  const trouble = troubleOf(judged, written?.failed === true);
  return {
    ...withBreakdownIfAsked(stats, options),
    cache: {
      status: statusOf(run, judged),
      key: judged.cacheKey,
      computedAt: computedAt.toISOString(),
      ageSeconds: 0,
      written: writtenTo !== undefined,
      ...(writtenTo ? { location: writtenTo } : {}),
      ...(judged.foreign ? { foreign: judged.foreign } : {}),
      ...(trouble ? { trouble } : {}),
    },
  };
}

/** A damaged cache that was ignored, or a cache write that failed: both were warned about. */
function troubleOf(judged: CacheJudgement, writeFailed: boolean): CacheTrouble | undefined {
  if (judged.read?.kind === 'unreadable' || judged.verdict?.kind === 'unusable')
    return 'unreadable';
  return writeFailed ? 'write-failed' : undefined;
}

/** The original sizes resolved in this call go into the companion, for the next one. */
async function rememberOriginals(run: StatsRun): Promise<void> {
  if (run.heads.resolved.size === 0) return;
  // A call that HEADs every delta saw every one under its prefix: the others there are gone.
  const everyDeltaSeen = run.plan.heads === 'every' ? run.prefix : undefined;
  await run.cache.rememberOriginals(
    (previous) => mergeKnownOriginals(previous.entries, run.heads.resolved, everyDeltaSeen),
    run.heads.headed,
  );
}

function cacheOf(
  run: StatsRun,
  listing: StatsListing,
  judged: CacheJudgement,
  stats: BucketStats,
  computedAt: Date,
): StatsCache {
  const { listed } = judged;
  const generator = run.cache.generator;
  return {
    version: STATS_CACHE_VERSION,
    mode: run.mode,
    computed_at: computedAt.toISOString(),
    validation: {
      object_count: listed.objectCount,
      compressed_size: listed.listedBytes,
      fingerprint: listed.fingerprint,
      prefix: run.prefix,
      ...(run.options.listStrategy === 'sequential'
        ? {}
        : { boundaries: listing.collector.boundaries() }),
    },
    // A huge breakdown stays out of the cache, which must stay small to read on every call.
    stats: snakeCaseKeys(
      (stats.deltaspaces?.length ?? 0) > MAX_CACHED_DELTASPACES ? withoutBreakdown(stats) : stats,
    ),
    ...(generator ? { generator } : {}),
  };
}

function statusOf(run: StatsRun, judged: CacheJudgement): CacheStatus {
  if (!run.cache.enabled) return 'disabled';
  if (run.options.refreshCache) return 'refreshed';
  const kinds = [judged.read?.kind, judged.localRead?.kind];
  return kinds.some((kind) => kind === 'found' || kind === 'unreadable') ? 'stale' : 'miss';
}
