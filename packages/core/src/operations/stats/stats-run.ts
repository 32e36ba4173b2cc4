import { StatsCacheSession } from '../../cache/stats-cache-session.js';
import { isAbortError } from '../../errors/is-abort-error.js';
import { messageOf } from '../../errors/message-of.js';
import { normalizePrefix } from '../../layout/bucket-layout.js';
import { FACTS_PREFIX } from '../../layout/listing-facts.js';
import { ListingFactsIndex, readListingFacts } from '../../listing/listing-facts-index.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import { type Logger, silentLogger } from '../../ports/logger.js';
import type { ObjectStore } from '../../ports/object-store.js';
import { BucketStatsAggregator } from '../../stats/bucket-stats-aggregator.js';
import { PhaseTimer } from '../../stats/phase-timer.js';
import { planFor, type StatsModePlan } from '../../stats/stats-mode-plan.js';
import type { StatsMode } from '../../stats/stats-modes.js';
import { HeadRunner } from './head-runner.js';
import type { StatsDependencies, StatsRunOptions } from './stats-options.js';

/** Everything one getBucketStats call shares between its phases, with the cache reads started. */
export interface StatsRun {
  readonly store: ObjectStore;
  readonly bucket: string;
  /** Normalised: `''` or a directory ending in `/`. */
  readonly prefix: string;
  readonly mode: StatsMode;
  readonly plan: StatsModePlan;
  readonly options: StatsRunOptions;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly timer: PhaseTimer;
  readonly cache: StatsCacheSession;
  readonly aggregator: BucketStatsAggregator;
  readonly heads: HeadRunner;
}

/**
 * Sets a call up: the cache GETs start here (in the session), so they run alongside the first
 * LIST page and a warm call costs no extra round trip.
 */
export function startStatsRun(
  dependencies: StatsDependencies,
  bucket: string,
  options: StatsRunOptions,
  mode: StatsMode,
): StatsRun {
  const { store } = dependencies;
  const logger = dependencies.logger ?? silentLogger;
  const clock = dependencies.clock ?? systemClock;
  const prefix = normalizePrefix(options.prefix);
  const plan = planFor(mode);
  const timer = new PhaseTimer(clock);
  const cache = new StatsCacheSession({
    store,
    bucket,
    mode,
    prefix,
    logger,
    timer,
    signal: options.signal,
    generator: dependencies.generator,
    local: dependencies.localCache,
    useCache: options.useCache,
    refreshCache: options.refreshCache,
    cacheLocation: options.cacheLocation,
    writeBucketCache: options.writeBucketCache,
    usesKnownOriginals: plan.usesKnownOriginals,
  });
  const aggregator = new BucketStatsAggregator({ sampling: plan.estimate === 'fit-to-samples' });
  const facts = lazyFactsReader(store, bucket, prefix, { timer, logger, signal: options.signal });
  const heads = new HeadRunner(store, bucket, aggregator, options, logger, {
    facts,
    known: cache.knownOriginals,
    knownIfRead: cache.knownOriginalsIfRead,
    usesKnown: cache.readsKnownOriginals,
  });
  return {
    store,
    bucket,
    prefix,
    mode,
    plan,
    options,
    logger,
    clock,
    timer,
    cache,
    aggregator,
    heads,
  };
}

/**
 * The listing facts under the prefix, read once some delta needs an original (so a call the
 * cache answers never pays for them). Facts that cannot be read are a warning, not a failure:
 * originals then come from metadata.
 */
function lazyFactsReader(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  context: { timer: PhaseTimer; logger: Logger; signal: AbortSignal | undefined },
): () => Promise<ListingFactsIndex> {
  const { timer, logger, signal } = context;
  let reading: Promise<ListingFactsIndex> | undefined;
  return () => {
    reading ??= timer.time('facts read', () =>
      readListingFacts(store, bucket, prefix, { signal }).catch((error: unknown) => {
        if (isAbortError(error)) throw error;
        logger.warn(
          `${FACTS_PREFIX} of ${bucket} not read (${messageOf(error)}): originals come from metadata instead`,
        );
        return new ListingFactsIndex();
      }),
    );
    return reading;
  };
}
