import pLimit from 'p-limit';
import { isPlausibleOriginal } from '../cache/cache-consistency.js';
import {
  KNOWN_ORIGINALS_KEY,
  type KnownOriginal,
  type KnownOriginals,
  readKnownOriginals,
  writeKnownOriginals,
} from '../cache/known-originals.js';
import {
  type CacheLocation,
  cachePlan,
  type LocalStatsCache,
  readLocalStatsCache,
  writeLocalStatsCache,
} from '../cache/local-stats-cache.js';
import {
  type CacheRead,
  type ForeignCache,
  readOwnStatsCache,
  writeStatsCache,
} from '../cache/stats-cache-io.js';
import { normalizeStatsPrefix, statsCacheKey } from '../cache/stats-cache-key.js';
import { STATS_CACHE_VERSION, type StatsCache } from '../cache/stats-cache-schema.js';
import { type CacheVerdict, validateStatsCache } from '../cache/validate-stats-cache.js';
import { writeComputedStats } from '../cache/write-computed-stats.js';
import { isAbortError } from '../errors/is-abort-error.js';
import { StatsOptionError } from '../errors/stats-option-error.js';
import { listInRanges, RangeBoundaryCollector } from '../listing/list-in-ranges.js';
import { ListingOrderError } from '../listing/listing-order-error.js';
import { readMetadataSize } from '../metadata/read-metadata-field.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { type Logger, silentLogger } from '../ports/logger.js';
import type { ObjectStore } from '../ports/object-store.js';
import { BucketStatsAggregator, type DeltaInDeltaspace } from '../stats/bucket-stats-aggregator.js';
import {
  type BucketStats,
  MAX_CACHED_DELTASPACES,
  type StatsMode,
  statsModes,
} from '../stats/bucket-stats-schema.js';
import { snakeCaseKeys } from '../stats/case-conversion.js';
import { PhaseTimer } from '../stats/phase-timer.js';

export interface StatsDependencies {
  readonly store: ObjectStore;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Written into the cache as `generator`, e.g. `deltaglider-ts/0.1.0`. */
  readonly generator?: string;
  /** Caches kept on this machine, for `cacheLocation` `local`/`both` and unwritable buckets. */
  readonly localCache?: LocalStatsCache;
}

export type StatsProgress =
  | { readonly phase: 'list'; readonly pages: number; readonly objects: number }
  | { readonly phase: 'head'; readonly done: number; readonly total: number };

export interface GetBucketStatsOptions {
  /** `quick` (default): LIST only. `sampled`: a few HEADs per deltaspace. `detailed`: one per delta. */
  readonly mode?: StatsMode | undefined;
  /** Read and write the in-bucket cache. Default true. */
  readonly useCache?: boolean | undefined;
  /** Ignore any cache, compute, and write a new one. */
  readonly refreshCache?: boolean | undefined;
  /**
   * How to list: `auto` (default) lists ranges in parallel from the cut points a cache keeps,
   * and pages sequentially when a server breaks S3's key order (no `StartAfter`); `ranged`
   * fails instead; `sequential` never lists ranges (and caches no cut points).
   */
  readonly listStrategy?: 'auto' | 'ranged' | 'sequential' | undefined;
  /** Where caches are read and written: `bucket` (default), `local` or `both`. */
  readonly cacheLocation?: CacheLocation | undefined;
  /**
   * false: never write the bucket's cache (no PUT, no warning), for users who may not, such as
   * anonymous readers of a public bucket; the local cache is used instead. Default true.
   */
  readonly writeBucketCache?: boolean | undefined;
  /** A cache older than this many seconds is recomputed. */
  readonly maxAgeSeconds?: number | undefined;
  /** Stats for keys under this directory only (`releases/`); a trailing `/` is implied. */
  readonly prefix?: string | undefined;
  /** Stop listing after this many objects; the result says so and is never cached. */
  readonly maxObjects?: number | undefined;
  /** Include the per-deltaspace breakdown (`deltaspaces`), from the cache when it has one. */
  readonly byDeltaspace?: boolean | undefined;
  /** HEAD requests in flight at once. Default 64. */
  readonly concurrency?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: StatsProgress) => void) | undefined;
}

export type CacheStatus = 'hit' | 'miss' | 'stale' | 'refreshed' | 'disabled';

export interface CacheFacts {
  readonly status: CacheStatus;
  /** The cache object's key, under `.deltaglider/`. */
  readonly key: string;
  /** When the returned numbers were computed (now, unless served from the cache). */
  readonly computedAt: string;
  readonly ageSeconds: number;
  /** Whether this call wrote the cache. */
  readonly written: boolean;
  /** Another tool's cache at the shared key, left alone; ours is then at `key` beside it. */
  readonly foreign?: ForeignCache;
  /** Where the served cache came from, or where this call wrote it: the bucket or this machine. */
  readonly location?: 'bucket' | 'local';
}

export interface BucketStatsResult extends BucketStats {
  readonly cache: CacheFacts;
}

// Measured with pnpm bench at a 25 ms round trip: 64 in flight reach the test server's HEAD ceiling
// (11.0 s for 10,000 HEADs), 32 do not (12.7 s); real S3 allows thousands per second per prefix.
export const DEFAULT_HEAD_CONCURRENCY = 64;
const SAMPLES_PER_DELTASPACE = 2;

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
  try {
    return await computeBucketStats(dependencies, bucket, options);
  } catch (error) {
    if (!(error instanceof ListingOrderError) || (options.listStrategy ?? 'auto') !== 'auto')
      throw error;
    // Cached without cut points, the next call pages sequentially from the start.
    (dependencies.logger ?? silentLogger).info(`${error.message}: listing sequentially instead`);
    return computeBucketStats(dependencies, bucket, {
      ...options,
      listStrategy: 'sequential',
      forgetRanges: true,
    });
  }
}

async function computeBucketStats(
  dependencies: StatsDependencies,
  bucket: string,
  options: GetBucketStatsOptions & { readonly forgetRanges?: boolean },
): Promise<BucketStatsResult> {
  const mode = options.mode ?? 'quick';
  checkOptions(mode, options);
  const { store } = dependencies;
  const logger = dependencies.logger ?? silentLogger;
  const clock = dependencies.clock ?? systemClock;
  const prefix = normalizeStatsPrefix(options.prefix);
  const useCache = options.useCache ?? true;
  const readCache = useCache && !options.refreshCache;
  const sharedKey = statsCacheKey(mode, prefix);
  const local = dependencies.localCache;
  const plan = cachePlan(
    options.cacheLocation ?? 'bucket',
    local,
    bucket,
    options.writeBucketCache ?? true,
  );
  const signal = options.signal;
  const timer = new PhaseTimer(clock);
  const cacheContext = { store, bucket, key: sharedKey, logger, ...(signal ? { signal } : {}) };

  // The cache GET runs alongside the first LIST page: a warm call costs no extra round trip.
  // --refresh reads too, but only to learn where our cache lives (beside another tool's?) and
  // which version its write replaces.
  const cacheLocating =
    useCache && plan.readBucket
      ? timer.time('cache read', () => readOwnStatsCache(cacheContext))
      : undefined;
  const localContext =
    useCache && local
      ? { local, bucket, key: sharedKey, logger, ...(signal ? { signal } : {}) }
      : undefined;
  const localReading =
    localContext && plan.readLocal && readCache ? readLocalStatsCache(localContext) : undefined;
  localReading?.catch(() => undefined);
  const cacheReading = readCache ? cacheLocating?.then((located) => located.read) : undefined;
  // Keep a rejected read from surfacing as unhandled while the listing is still running.
  cacheLocating?.catch(() => undefined);
  cacheReading?.catch(() => undefined);

  const aggregator = new BucketStatsAggregator({ sampling: mode === 'sampled' });
  // Read only when some delta needs its original size: a warm call never pays for it.
  const useKnownOriginals = useCache && mode !== 'quick';
  let knownReading: Promise<KnownOriginals> | undefined;
  const known = () => {
    if (!useKnownOriginals) return Promise.resolve(undefined);
    knownReading ??= timer.time('originals read', () => readKnownOriginals(cacheContext));
    // --refresh recomputes from scratch, but the companion is still read to be rewritten.
    return options.refreshCache ? knownReading.then(() => undefined) : knownReading;
  };
  const heads = new HeadRunner(store, bucket, aggregator, options, logger, known);
  // Detailed HEADs start during the listing unless a cache might make them unnecessary.
  let headsDuringListing = mode === 'detailed' && !readCache;
  let heldDeltas: DeltaInDeltaspace[] = [];
  let pages = 0;
  let objects = 0;
  let objectLimitReached = false;

  // Ranges remembered by the cache let the listing run in parallel once the cache arrives.
  const boundaries =
    readCache && options.listStrategy !== 'sequential'
      ? cacheLocating?.then(({ read }) =>
          read.kind === 'found' ? read.cache.validation.boundaries : undefined,
        )
      : undefined;
  const collector = new RangeBoundaryCollector();
  const listing = listInRanges(store, bucket, {
    prefix,
    ...(signal ? { signal } : {}),
    ...(boundaries ? { boundaries } : {}),
  });
  try {
    await timer.time('list', async () => {
      for await (const page of listing) {
        pages++;
        collector.addPage(page);
        for (const object of page) {
          if (options.maxObjects !== undefined && objects >= options.maxObjects) {
            objectLimitReached = true;
            break;
          }
          objects++;
          const delta = aggregator.add(object);
          if (delta && mode === 'detailed') {
            if (headsDuringListing) heads.schedule(delta);
            else heldDeltas.push(delta);
          }
        }
        options.onProgress?.({ phase: 'list', pages, objects });
        if (objectLimitReached) break;
        if (mode === 'detailed' && !headsDuringListing && cacheReading) {
          const read = await cacheReading;
          const listedSoFar = aggregator.fingerprint.summary().objectCount;
          if (read.kind !== 'found' || read.cache.validation.object_count < listedSoFar) {
            // No cache can match this listing any more: start the HEADs now.
            headsDuringListing = true;
            for (const delta of heldDeltas) heads.schedule(delta);
            heldDeltas = [];
          }
        }
        await heads.waitForRoom();
      }
    });
  } catch (error) {
    // No result will use them: a failed listing (or a fallback to sequential) stops the HEADs.
    heads.cancel();
    throw error;
  }

  const listed = aggregator.fingerprint.summary();
  const located = await cacheLocating;
  const read = await cacheReading;
  const localRead = await localReading;
  const cacheKey = located?.key ?? sharedKey;
  const foreign = located?.foreign ? { foreign: located.foreign } : {};
  if (located?.foreign)
    logger.info(
      `${located.foreign.key} holds ${located.foreign.writer}'s cache: left as it is; ours is ${cacheKey}`,
    );
  const bucketVerdict =
    read?.kind === 'found' ? validateCache(read, mode, prefix, listed, clock, options) : undefined;
  // The local copy answers when the bucket's cannot (none, stale, or not read at all).
  const localVerdict =
    readCache && bucketVerdict?.kind !== 'valid' && localRead?.kind === 'found'
      ? validateCache(localRead, mode, prefix, listed, clock, options)
      : undefined;
  const servedFrom = localVerdict?.kind === 'valid' ? 'local' : 'bucket';
  const verdict = servedFrom === 'local' ? localVerdict : bucketVerdict;
  if (read?.kind === 'unreadable') logger.warn(`stats cache ${cacheKey} ignored: ${read.reason}`);
  if (verdict?.kind === 'unusable')
    logger.warn(`stats cache ${cacheKey} ignored: ${verdict.reason}`);
  if (verdict?.kind === 'stale') logger.info(`stats cache ${cacheKey} is stale: ${verdict.reason}`);

  const lacksBreakdown =
    verdict?.kind === 'valid' && options.byDeltaspace && !verdict.stats.deltaspaces;
  if (lacksBreakdown)
    logger.info(`stats cache ${cacheKey} has no per-deltaspace figures: recomputing`);
  if (verdict?.kind === 'valid' && !objectLimitReached && !lacksBreakdown) {
    heads.cancel();
    logPhases(logger, timer, 'cache hit');
    warnUnrecoverable(logger, bucket, verdict.stats);
    // This server broke key order: drop the cut points, so later calls page sequentially.
    const served = servedFrom === 'bucket' ? read : localRead;
    if (options.forgetRanges && served?.kind === 'found' && served.cache.validation.boundaries) {
      const { boundaries: _dropped, ...validation } = served.cache.validation;
      const withoutRanges = { ...served.cache, validation };
      await (servedFrom === 'bucket' && plan.writeBucket
        ? writeStatsCache({ ...cacheContext, key: cacheKey }, withoutRanges, served)
        : localContext
          ? writeLocalStatsCache(localContext, withoutRanges, served)
          : undefined);
    }
    const computedAt = verdict.computedAt;
    return {
      ...withBreakdownIfAsked(verdict.stats, options),
      bucket,
      cache: {
        status: 'hit',
        key: cacheKey,
        computedAt: computedAt.toISOString(),
        ageSeconds: Math.max(0, (clock.now().getTime() - computedAt.getTime()) / 1000),
        written: false,
        location: servedFrom,
        ...foreign,
      },
    };
  }

  await timer.time('heads', async () => {
    for (const delta of heldDeltas) heads.schedule(delta);
    if (mode === 'sampled')
      for (const delta of aggregator.sampleTargets(SAMPLES_PER_DELTASPACE)) heads.schedule(delta);
    await heads.finish();
  });
  const stats = timer.timeSync('aggregate', () =>
    aggregator.finish({ bucket, prefix, mode, objectLimitReached }),
  );
  const computedAt = clock.now();

  if (plan.writeBucket && knownReading && heads.resolved.size > 0) {
    const previous = await knownReading;
    const merged = mergeKnownOriginals(
      previous.entries,
      heads.resolved,
      mode === 'detailed' ? prefix : undefined,
    );
    if (heads.headed > 0 || merged.size !== previous.entries.size) {
      await timer.time('originals write', () =>
        writeKnownOriginals(cacheContext, merged, previous, dependencies.generator),
      );
    }
  }

  let writtenTo: 'bucket' | 'local' | undefined;
  if (useCache && !stats.incomplete) {
    const cache: StatsCache = {
      version: STATS_CACHE_VERSION,
      mode,
      computed_at: computedAt.toISOString(),
      validation: {
        object_count: listed.objectCount,
        compressed_size: listed.listedBytes,
        fingerprint: listed.fingerprint,
        prefix,
        ...(options.listStrategy === 'sequential' ? {} : { boundaries: collector.boundaries() }),
      },
      // A huge breakdown stays out of the cache, which must stay small to read on every call.
      stats: snakeCaseKeys(
        (stats.deltaspaces?.length ?? 0) > MAX_CACHED_DELTASPACES ? withoutBreakdown(stats) : stats,
      ),
      ...(dependencies.generator ? { generator: dependencies.generator } : {}),
    };
    writtenTo = await timer.time('cache write', () =>
      writeComputedStats(cache, {
        store,
        bucket,
        key: cacheKey,
        logger,
        plan,
        bucketRead: located?.read,
        validatedRead: read,
        local: localContext,
        localRead,
        ...(signal ? { signal } : {}),
      }),
    );
  } else if (useCache) {
    logger.info('stats are incomplete: not cached');
  }
  logPhases(logger, timer, 'computed');

  const status: CacheStatus = !useCache
    ? 'disabled'
    : options.refreshCache
      ? 'refreshed'
      : [read?.kind, localRead?.kind].some((kind) => kind === 'found' || kind === 'unreadable')
        ? 'stale'
        : 'miss';
  warnUnrecoverable(logger, bucket, stats);
  return {
    ...withBreakdownIfAsked(stats, options),
    cache: {
      status,
      key: cacheKey,
      computedAt: computedAt.toISOString(),
      ageSeconds: 0,
      written: writtenTo !== undefined,
      ...(writtenTo ? { location: writtenTo } : {}),
      ...foreign,
    },
  };
}

/**
 * Resolves deltas' original sizes with bounded concurrency and folds them into the stats:
 * from the known-originals companion when the delta's ETag is unchanged, else by HEAD.
 */
class HeadRunner {
  private readonly limit;
  private readonly inFlight = new Set<Promise<void>>();
  private roomFreed: (() => void) | undefined;
  private done = 0;
  private total = 0;
  private cancelled = false;
  /** Originals resolved in this call, for the companion. */
  readonly resolved = new Map<string, KnownOriginal>();
  /** How many of those needed a HEAD. */
  headed = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly bucket: string,
    private readonly aggregator: BucketStatsAggregator,
    private readonly options: GetBucketStatsOptions,
    private readonly logger: Logger,
    private readonly known: () => Promise<KnownOriginals | undefined>,
  ) {
    this.limit = pLimit(options.concurrency ?? DEFAULT_HEAD_CONCURRENCY);
  }

  /** The listing pauses while more HEADs than this wait. */
  private get roomThreshold(): number {
    return this.limit.concurrency * 8;
  }

  schedule(delta: DeltaInDeltaspace): void {
    this.total++;
    const task = this.limit(() => this.headOne(delta)).finally(() => {
      this.inFlight.delete(task);
      if (this.inFlight.size <= this.roomThreshold) {
        this.roomFreed?.();
        this.roomFreed = undefined;
      }
    });
    // Failures are folded into the stats inside headOne; only aborts reach here.
    task.catch(() => undefined);
    this.inFlight.add(task);
  }

  /** Holds the listing back while many HEADs wait, so memory stays bounded. */
  async waitForRoom(): Promise<void> {
    // One waiter woken by the task that frees room: racing every pending task instead would
    // attach a reaction to each of them per wake-up, quadratic in the queue length.
    while (this.inFlight.size > this.roomThreshold) {
      await new Promise<void>((resolve) => {
        this.roomFreed = resolve;
      });
    }
  }

  async finish(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  cancel(): void {
    this.cancelled = true;
    this.limit.clearQueue();
  }

  private async headOne(delta: DeltaInDeltaspace): Promise<void> {
    if (this.cancelled) return;
    const signal = this.options.signal;
    const known = (await this.known())?.entries.get(delta.key);
    const current = known && delta.etag !== undefined && known.etag === delta.etag;
    if (current && !isPlausibleOriginal(known.size, delta.size)) {
      this.logger.warn(
        `${KNOWN_ORIGINALS_KEY}: the entry for ${delta.key} says ${known.size} bytes, less than its ${delta.size}-byte delta; ignored, asking S3 instead`,
      );
    } else if (current) {
      this.aggregator.recordOriginal(delta, known.size);
      this.resolved.set(delta.key, known);
      this.done++;
      this.options.onProgress?.({ phase: 'head', done: this.done, total: this.total });
      return;
    }
    this.headed++;
    try {
      const head = await this.store.head(this.bucket, delta.key, signal ? { signal } : {});
      const originalSize = head ? readMetadataSize(head.metadata, 'file-size') : undefined;
      if (!head) {
        this.logger.debug(`delta ${delta.key} vanished before its HEAD`);
        this.aggregator.recordFailedHead();
      } else if (originalSize === undefined) {
        this.logger.debug(`delta ${delta.key} has no usable dg-file-size metadata`);
        this.aggregator.recordMissingMetadata();
      } else {
        this.aggregator.recordOriginal(delta, originalSize);
        if (delta.etag !== undefined)
          this.resolved.set(delta.key, { etag: delta.etag, size: originalSize });
      }
    } catch (error) {
      if (isAbortError(error)) throw error;
      this.logger.debug(
        `HEAD ${delta.key} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.aggregator.recordFailedHead();
    }
    this.done++;
    this.options.onProgress?.({ phase: 'head', done: this.done, total: this.total });
  }
}

/**
 * The companion after this call: what was known, updated with what was resolved. A detailed
 * call saw every delta under its prefix, so entries there that it did not resolve are gone.
 */
function mergeKnownOriginals(
  previous: ReadonlyMap<string, KnownOriginal>,
  resolved: ReadonlyMap<string, KnownOriginal>,
  replacedPrefix: string | undefined,
): Map<string, KnownOriginal> {
  const merged = new Map<string, KnownOriginal>();
  for (const [key, known] of previous) {
    if (replacedPrefix === undefined || !key.startsWith(replacedPrefix)) merged.set(key, known);
  }
  for (const [key, known] of resolved) merged.set(key, known);
  return merged;
}

function validateCache(
  read: Extract<CacheRead, { kind: 'found' }>,
  mode: StatsMode,
  prefix: string,
  listing: ReturnType<BucketStatsAggregator['fingerprint']['summary']>,
  clock: Clock,
  options: GetBucketStatsOptions,
): CacheVerdict {
  return validateStatsCache(read.cache, {
    mode,
    prefix,
    listing,
    now: clock.now(),
    ...(options.maxAgeSeconds === undefined ? {} : { maxAgeSeconds: options.maxAgeSeconds }),
  });
}

function checkOptions(mode: string, options: GetBucketStatsOptions): void {
  if (!(statsModes as readonly string[]).includes(mode)) {
    throw new StatsOptionError(
      'mode',
      `unknown stats mode ${JSON.stringify(mode)}; use ${statsModes.join(', ')}`,
    );
  }
  if (options.useCache === false && options.refreshCache) {
    throw new StatsOptionError(
      'refreshCache',
      'refreshCache needs the cache; it cannot go with useCache: false',
    );
  }
  for (const [name, value] of [
    ['concurrency', options.concurrency],
    ['maxObjects', options.maxObjects],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw new StatsOptionError(
        name,
        `${name} must be a whole number of at least 1, got ${value}`,
      );
    }
  }
  if (options.maxAgeSeconds !== undefined && !(options.maxAgeSeconds >= 0)) {
    throw new StatsOptionError(
      'maxAgeSeconds',
      `maxAgeSeconds must be 0 or more, got ${options.maxAgeSeconds}`,
    );
  }
}

/** The stats without their per-deltaspace breakdown, unless the caller asked for it. */
function withBreakdownIfAsked(stats: BucketStats, options: GetBucketStatsOptions): BucketStats {
  return options.byDeltaspace ? stats : withoutBreakdown(stats);
}

/** One warning per deltaspace whose deltas lost their reference: they are data loss in waiting. */
function warnUnrecoverable(logger: Logger, bucket: string, stats: BucketStats): void {
  for (const space of stats.unrecoverableDeltaspaces) {
    const directory = space.deltaspace === '' ? '' : `${space.deltaspace}/`;
    logger.warn(
      `s3://${bucket}/${directory} has ${space.deltas} delta(s) (${space.bytes} bytes) but no reference.bin: they cannot be rebuilt and are not counted; restore ${directory}reference.bin from a backup, or remove them with deltaglider rm -r s3://${bucket}/${directory}`,
    );
  }
}

function withoutBreakdown(stats: BucketStats): BucketStats {
  const { deltaspaces: _breakdown, ...rest } = stats;
  return rest;
}

function logPhases(logger: Logger, timer: PhaseTimer, outcome: string): void {
  logger.info(`stats ${outcome}: ${timer.describe()}`, timer.durations());
}
