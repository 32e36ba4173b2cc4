import { type KnownOriginals, readKnownOriginals } from '../../cache/known-originals.js';
import { cachePlan, readLocalStatsCache } from '../../cache/local-stats-cache.js';
import { readOwnStatsCache } from '../../cache/stats-cache-io.js';
import { normalizeStatsPrefix, statsCacheKey } from '../../cache/stats-cache-key.js';
import { isAbortError } from '../../errors/is-abort-error.js';
import { messageOf } from '../../errors/message-of.js';
import { FACTS_PREFIX } from '../../layout/listing-facts.js';
import { ListingFactsIndex, readListingFacts } from '../../listing/listing-facts-index.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import { type Logger, silentLogger } from '../../ports/logger.js';
import type { ObjectStore } from '../../ports/object-store.js';
import { BucketStatsAggregator } from '../../stats/bucket-stats-aggregator.js';
import type { StatsMode } from '../../stats/bucket-stats-schema.js';
import { PhaseTimer } from '../../stats/phase-timer.js';
import { HeadRunner } from './head-runner.js';
import { type ModePlan, planFor } from './mode-plan.js';
import type { StatsDependencies, StatsRunOptions } from './stats-options.js';

/** Everything one getBucketStats call shares between its phases, with the cache reads started. */
export interface StatsRun {
  readonly dependencies: StatsDependencies;
  readonly store: ObjectStore;
  readonly bucket: string;
  readonly options: StatsRunOptions;
  readonly mode: StatsMode;
  readonly plan: ModePlan;
  readonly prefix: string;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly timer: PhaseTimer;
  readonly signal: AbortSignal | undefined;
  /** Read and write caches at all (`useCache`). */
  readonly useCache: boolean;
  /** Serve from a cache if one matches (not `refreshCache`). */
  readonly readCache: boolean;
  /** The cache key every tool shares for this mode and prefix. */
  readonly sharedKey: string;
  /** Which caches (bucket, this machine) are read and written. */
  readonly where: ReturnType<typeof cachePlan>;
  readonly cacheContext: CacheContext;
  readonly localContext: LocalContext | undefined;
  readonly cacheLocating: ReturnType<typeof readOwnStatsCache> | undefined;
  readonly cacheReading: Promise<Awaited<ReturnType<typeof readOwnStatsCache>>['read']> | undefined;
  readonly localReading: ReturnType<typeof readLocalStatsCache> | undefined;
  readonly aggregator: BucketStatsAggregator;
  readonly heads: HeadRunner;
  /** The known-originals companion, once some delta needed it (else undefined). */
  knownOriginalsRead(): Promise<KnownOriginals> | undefined;
}

type CacheContext = Parameters<typeof readOwnStatsCache>[0];
type LocalContext = Parameters<typeof readLocalStatsCache>[0];

/**
 * Sets a call up: the cache GETs start here, so they run alongside the first LIST page and a
 * warm call costs no extra round trip. `refreshCache` reads too, but only to learn where our
 * cache lives (beside another tool's?) and which version its write replaces.
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
  const signal = options.signal;
  const prefix = normalizeStatsPrefix(options.prefix);
  const useCache = options.useCache ?? true;
  const readCache = useCache && !options.refreshCache;
  const sharedKey = statsCacheKey(mode, prefix);
  const local = dependencies.localCache;
  const where = cachePlan(
    options.cacheLocation ?? 'bucket',
    local,
    bucket,
    options.writeBucketCache ?? true,
  );
  const timer = new PhaseTimer(clock);
  const aborts = signal ? { signal } : {};
  const cacheContext = { store, bucket, key: sharedKey, logger, ...aborts };

  const cacheLocating =
    useCache && where.readBucket
      ? timer.time('cache read', () => readOwnStatsCache(cacheContext))
      : undefined;
  const localContext =
    useCache && local ? { local, bucket, key: sharedKey, logger, ...aborts } : undefined;
  const localReading =
    localContext && where.readLocal && readCache ? readLocalStatsCache(localContext) : undefined;
  const cacheReading = readCache ? cacheLocating?.then((located) => located.read) : undefined;
  // Keep a rejected read from surfacing as unhandled while the listing is still running.
  for (const reading of [cacheLocating, cacheReading, localReading]) reading?.catch(() => {});

  const plan = planFor(mode);
  const aggregator = new BucketStatsAggregator({ sampling: plan.sampling });
  // Read only when some delta needs its original size: a warm call never pays for it.
  const usesKnown = useCache && plan.usesKnownOriginals;
  const { known, knownRead } = lazyKnownOriginals(usesKnown, options, timer, cacheContext);
  const facts = lazyFactsReader(store, bucket, prefix, { timer, logger, ...aborts });
  const heads = new HeadRunner(
    store,
    bucket,
    aggregator,
    options,
    logger,
    known,
    facts,
    knownRead,
    usesKnown,
  );
  return {
    dependencies,
    store,
    bucket,
    options,
    mode,
    plan,
    prefix,
    logger,
    clock,
    timer,
    signal,
    useCache,
    readCache,
    sharedKey,
    where,
    cacheContext,
    localContext,
    cacheLocating,
    cacheReading,
    localReading,
    aggregator,
    heads,
    knownOriginalsRead: knownRead,
  };
}

/** The known-originals companion, read once some delta needs it. */
function lazyKnownOriginals(
  usesKnown: boolean,
  options: StatsRunOptions,
  timer: PhaseTimer,
  cacheContext: CacheContext,
) {
  let knownReading: Promise<KnownOriginals> | undefined;
  const known = () => {
    if (!usesKnown) return Promise.resolve(undefined);
    knownReading ??= timer.time('originals read', () => readKnownOriginals(cacheContext));
    // --refresh recomputes from scratch, but the companion is still read to be rewritten.
    return options.refreshCache ? knownReading.then(() => undefined) : knownReading;
  };
  return { known, knownRead: () => knownReading };
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
  context: { timer: PhaseTimer; logger: Logger; signal?: AbortSignal },
): () => Promise<ListingFactsIndex> {
  const { timer, logger, ...aborts } = context;
  let reading: Promise<ListingFactsIndex> | undefined;
  return () => {
    reading ??= timer.time('facts read', () =>
      readListingFacts(store, bucket, prefix, aborts).catch((error: unknown) => {
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
