import type { CacheJudgement } from '../../cache/stats-cache-session.js';
import type { CacheVerdict } from '../../cache/validate-stats-cache.js';
import type { ListingStatsResult } from './stats-options.js';
import { logPhases, warnUnrecoverable, withBreakdownIfAsked } from './stats-reporting.js';
import type { StatsRun } from './stats-run.js';

/** The answer from a cache that matches the listing: no HEAD, no write (but one case below). */
export async function serveCachedStats(
  run: StatsRun,
  judged: CacheJudgement & { readonly verdict: Extract<CacheVerdict, { kind: 'valid' }> },
): Promise<ListingStatsResult> {
  const { verdict, servedFrom } = judged;
  run.heads.cancel();
  logPhases(run.logger, run.timer, 'cache hit');
  warnUnrecoverable(run.logger, run.bucket, verdict.stats);
  // This server broke key order: drop the cut points, so later calls page sequentially.
  if (run.options.forgetRanges) await run.cache.forgetBoundaries(judged);
  const computedAt = verdict.computedAt;
  return {
    ...withBreakdownIfAsked(verdict.stats, run.options),
    bucket: run.bucket,
    cache: {
      status: 'hit',
      key: judged.cacheKey,
      computedAt: computedAt.toISOString(),
      ageSeconds: Math.max(0, (run.clock.now().getTime() - computedAt.getTime()) / 1000),
      written: false,
      location: servedFrom,
      ...(judged.foreign ? { foreign: judged.foreign } : {}),
    },
  };
}
