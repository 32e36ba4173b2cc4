import type { CacheRead, ForeignCache } from '../../cache/stats-cache-io.js';
import { type CacheVerdict, validateStatsCache } from '../../cache/validate-stats-cache.js';
import type { ListingSummary } from '../../stats/listing-fingerprint.js';
import type { StatsRun } from './stats-run.js';

type LocatedCache = Awaited<NonNullable<StatsRun['cacheLocating']>>;
type LocalRead = Awaited<NonNullable<StatsRun['localReading']>>;

/** What the caches read alongside the listing say about it. */
export interface CacheJudgement {
  /** The listing the caches were judged against. */
  readonly listed: ListingSummary;
  readonly located: LocatedCache | undefined;
  readonly read: CacheRead | undefined;
  readonly localRead: LocalRead | undefined;
  /** Our cache's key: the shared one, or ours beside another tool's. */
  readonly cacheKey: string;
  readonly foreign: ForeignCache | undefined;
  /** The verdict on the cache that would serve: the bucket's, else this machine's. */
  readonly verdict: CacheVerdict | undefined;
  readonly servedFrom: 'bucket' | 'local';
  /** A valid cache without the per-deltaspace figures the caller asked for. */
  readonly lacksBreakdown: boolean;
}

/** Validates the bucket's cache, then this machine's when the bucket's cannot answer. */
export async function judgeCaches(run: StatsRun): Promise<CacheJudgement> {
  const { logger } = run;
  const listed = run.aggregator.fingerprint.summary();
  const located = await run.cacheLocating;
  const read = await run.cacheReading;
  const localRead = await run.localReading;
  const cacheKey = located?.key ?? run.sharedKey;
  if (located?.foreign)
    logger.info(
      `${located.foreign.key} holds ${located.foreign.writer}'s cache: left as it is; ours is ${cacheKey}`,
    );
  const bucketVerdict = read?.kind === 'found' ? validate(run, read, listed) : undefined;
  // The local copy answers when the bucket's cannot (none, stale, or not read at all).
  const localVerdict =
    run.readCache && bucketVerdict?.kind !== 'valid' && localRead?.kind === 'found'
      ? validate(run, localRead, listed)
      : undefined;
  const servedFrom = localVerdict?.kind === 'valid' ? 'local' : 'bucket';
  const verdict = servedFrom === 'local' ? localVerdict : bucketVerdict;
  if (read?.kind === 'unreadable') logger.warn(`stats cache ${cacheKey} ignored: ${read.reason}`);
  if (verdict?.kind === 'unusable')
    logger.warn(`stats cache ${cacheKey} ignored: ${verdict.reason}`);
  if (verdict?.kind === 'stale') logger.info(`stats cache ${cacheKey} is stale: ${verdict.reason}`);
  const lacksBreakdown =
    verdict?.kind === 'valid' && run.options.byDeltaspace === true && !verdict.stats.deltaspaces;
  if (lacksBreakdown)
    logger.info(`stats cache ${cacheKey} has no per-deltaspace figures: recomputing`);
  return {
    listed,
    located,
    read,
    localRead,
    cacheKey,
    foreign: located?.foreign,
    verdict,
    servedFrom,
    lacksBreakdown,
  };
}

function validate(
  run: StatsRun,
  read: Extract<CacheRead, { kind: 'found' }>,
  listing: ListingSummary,
): CacheVerdict {
  const { maxAgeSeconds } = run.options;
  return validateStatsCache(read.cache, {
    mode: run.mode,
    prefix: run.prefix,
    listing,
    now: run.clock.now(),
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
  });
}
