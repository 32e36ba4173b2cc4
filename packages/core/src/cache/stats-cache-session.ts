import { statsCacheKey } from '../layout/bucket-layout.js';
import type { Logger } from '../ports/logger.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { ListingSummary } from '../stats/listing-fingerprint.js';
import type { PhaseTimer } from '../stats/phase-timer.js';
import type { StatsMode } from '../stats/stats-modes.js';
import {
  type KnownOriginal,
  type KnownOriginals,
  readKnownOriginals,
  writeKnownOriginals,
} from './known-originals.js';
import {
  type CacheLocation,
  cachePlan,
  type LocalCacheContext,
  type LocalStatsCache,
  readLocalStatsCache,
  writeLocalStatsCache,
} from './local-stats-cache.js';
import {
  type CacheIoContext,
  type CacheRead,
  type ForeignCache,
  type OwnCacheRead,
  readOwnStatsCache,
  writeStatsCache,
} from './stats-cache-io.js';
import type { StatsCache } from './stats-cache-schema.js';
import { type CacheVerdict, validateStatsCache } from './validate-stats-cache.js';
import { writeComputedStats } from './write-computed-stats.js';

export interface StatsCacheSessionOptions {
  readonly store: ObjectStore;
  readonly bucket: string;
  readonly mode: StatsMode;
  /** Already normalised (`normalizePrefix`). */
  readonly prefix: string;
  readonly logger: Logger;
  readonly timer: PhaseTimer;
  readonly signal?: AbortSignal | undefined;
  /** Written into caches as `generator`. */
  readonly generator?: string | undefined;
  readonly local?: LocalStatsCache | undefined;
  /** Read and write caches at all. Default true. */
  readonly useCache?: boolean | undefined;
  /** Read only to learn where our cache lives and which version a write replaces. */
  readonly refreshCache?: boolean | undefined;
  readonly cacheLocation?: CacheLocation | undefined;
  readonly writeBucketCache?: boolean | undefined;
  /** This call's mode reads the known-originals companion when some delta needs an original. */
  readonly usesKnownOriginals: boolean;
}

/** What the caches read alongside the listing say about it. */
export interface CacheJudgement {
  /** The listing the caches were judged against. */
  readonly listed: ListingSummary;
  readonly located: OwnCacheRead | undefined;
  readonly read: CacheRead | undefined;
  readonly localRead: CacheRead | undefined;
  /** Our cache's key: the shared one, or ours beside another tool's. */
  readonly cacheKey: string;
  readonly foreign: ForeignCache | undefined;
  /** The verdict on the cache that would serve: the bucket's, else this machine's. */
  readonly verdict: CacheVerdict | undefined;
  readonly servedFrom: 'bucket' | 'local';
  /** A valid cache without the per-deltaspace figures the caller asked for. */
  readonly lacksBreakdown: boolean;
}

export interface JudgeOptions {
  readonly now: Date;
  readonly maxAgeSeconds?: number | undefined;
  readonly byDeltaspace?: boolean | undefined;
}

/**
 * Everything one stats call does with caches: the bucket's and this machine's stats caches
 * (read as soon as the call starts, so they arrive alongside the first LIST page), their verdict
 * on the listing, the write of freshly computed stats, and the known-originals companion (read
 * only once some delta needs an original, so a warm call never pays for it).
 */
export class StatsCacheSession {
  /** Caches are read and written at all. */
  readonly enabled: boolean;
  /** A matching cache may answer (not a refresh). */
  readonly mayServe: boolean;
  private readonly where: ReturnType<typeof cachePlan>;
  private readonly bucketContext: CacheIoContext;
  private readonly localContext: LocalCacheContext | undefined;
  private readonly located: Promise<OwnCacheRead> | undefined;
  private readonly bucketRead: Promise<CacheRead> | undefined;
  private readonly localRead: Promise<CacheRead> | undefined;
  private knownReading: Promise<KnownOriginals> | undefined;
  /** Written into caches as `generator`. */
  readonly generator: string | undefined;

  constructor(private readonly options: StatsCacheSessionOptions) {
    const { store, bucket, logger, timer, local } = options;
    this.enabled = options.useCache ?? true;
    this.generator = options.generator;
    this.mayServe = this.enabled && !options.refreshCache;
    this.where = cachePlan(
      options.cacheLocation ?? 'bucket',
      local,
      bucket,
      options.writeBucketCache ?? true,
    );
    const key = statsCacheKey(options.mode, options.prefix);
    const aborts = options.signal ? { signal: options.signal } : {};
    this.bucketContext = { store, bucket, key, logger, ...aborts };
    this.localContext =
      this.enabled && local ? { local, bucket, key, logger, ...aborts } : undefined;
    this.located =
      this.enabled && this.where.readBucket
        ? timer.time('cache read', () => readOwnStatsCache(this.bucketContext))
        : undefined;
    this.bucketRead = this.mayServe ? this.located?.then((located) => located.read) : undefined;
    this.localRead =
      this.localContext && this.where.readLocal && this.mayServe
        ? readLocalStatsCache(this.localContext)
        : undefined;
    // Keep a rejected read from surfacing as unhandled while the listing is still running.
    for (const reading of [this.located, this.bucketRead, this.localRead]) reading?.catch(() => {});
  }

  /** The bucket's cache as read, for a listing deciding early whether it can still match. */
  cachedRead(): Promise<CacheRead> | undefined {
    return this.bucketRead;
  }

  /** The cut points the bucket's cache keeps, for listing in parallel ranges (none to wait for on a refresh). */
  cachedBoundaries(): Promise<readonly string[] | undefined> | undefined {
    return this.bucketRead?.then((read) =>
      read.kind === 'found' ? read.cache.validation.boundaries : undefined,
    );
  }

  /** Validates the bucket's cache, then this machine's when the bucket's cannot answer. */
  async judge(listed: ListingSummary, options: JudgeOptions): Promise<CacheJudgement> {
    const { logger } = this.options;
    const located = await this.located;
    const read = await this.bucketRead;
    const localRead = await this.localRead;
    const cacheKey = located?.key ?? this.bucketContext.key;
    if (located?.foreign)
      logger.info(
        `${located.foreign.key} holds ${located.foreign.writer}'s cache: left as it is; ours is ${cacheKey}`,
      );
    const validate = (found: Extract<CacheRead, { kind: 'found' }>) =>
      validateStatsCache(found.cache, {
        mode: this.options.mode,
        prefix: this.options.prefix,
        listing: listed,
        now: options.now,
        maxAgeSeconds: options.maxAgeSeconds,
      });
    const bucketVerdict = read?.kind === 'found' ? validate(read) : undefined;
    // The local copy answers when the bucket's cannot (none, stale, or not read at all).
    const localVerdict =
      this.mayServe && bucketVerdict?.kind !== 'valid' && localRead?.kind === 'found'
        ? validate(localRead)
        : undefined;
    const servedFrom = localVerdict?.kind === 'valid' ? 'local' : 'bucket';
    const verdict = servedFrom === 'local' ? localVerdict : bucketVerdict;
    if (read?.kind === 'unreadable') logger.warn(`stats cache ${cacheKey} ignored: ${read.reason}`);
    if (verdict?.kind === 'unusable')
      logger.warn(`stats cache ${cacheKey} ignored: ${verdict.reason}`);
    if (verdict?.kind === 'stale')
      logger.info(`stats cache ${cacheKey} is stale: ${verdict.reason}`);
    const lacksBreakdown =
      verdict?.kind === 'valid' && options.byDeltaspace === true && !verdict.stats.deltaspaces;
    if (lacksBreakdown)
      logger.info(`stats cache ${cacheKey} has no per-deltaspace figures: recomputing`);
    const foreign = located?.foreign;
    return {
      listed,
      located,
      read,
      localRead,
      cacheKey,
      foreign,
      verdict,
      servedFrom,
      lacksBreakdown,
    };
  }

  /** Writes freshly computed stats where the plan and the bucket allow (see writeComputedStats). */
  writeComputed(cache: StatsCache, judged: CacheJudgement) {
    const { store, bucket, logger, signal } = this.options;
    return writeComputedStats(cache, {
      store,
      bucket,
      key: judged.cacheKey,
      logger,
      plan: this.where,
      bucketRead: judged.located?.read,
      validatedRead: judged.read,
      local: this.localContext,
      localRead: judged.localRead,
      signal,
    });
  }

  /** Rewrites the cache that served without its cut points (the server broke key order). */
  async forgetBoundaries(judged: CacheJudgement): Promise<void> {
    const served = judged.servedFrom === 'bucket' ? judged.read : judged.localRead;
    if (served?.kind !== 'found' || !served.cache.validation.boundaries) return;
    const { boundaries: _dropped, ...validation } = served.cache.validation;
    const withoutRanges = { ...served.cache, validation };
    if (judged.servedFrom === 'bucket' && this.where.writeBucket)
      await writeStatsCache({ ...this.bucketContext, key: judged.cacheKey }, withoutRanges, served);
    else if (this.localContext)
      await writeLocalStatsCache(this.localContext, withoutRanges, served);
  }

  /**
   * The known-originals companion, read on first use (undefined when this call may not use
   * it). On a refresh it is read only to be rewritten, so its entries are not offered.
   */
  knownOriginals = (): Promise<KnownOriginals | undefined> => {
    if (!this.readsKnownOriginals) return Promise.resolve(undefined);
    this.knownReading ??= this.options.timer.time('originals read', () =>
      readKnownOriginals(this.bucketContext),
    );
    return this.options.refreshCache ? this.knownReading.then(() => undefined) : this.knownReading;
  };

  /** The companion when this call has already read it (facts alone never trigger its GET). */
  knownOriginalsIfRead = (): Promise<KnownOriginals> | undefined => this.knownReading;

  get readsKnownOriginals(): boolean {
    return this.enabled && this.options.usesKnownOriginals;
  }

  /** Rewrites the companion with `merged` when it changed and the bucket may be written. */
  async rememberOriginals(
    merged: (previous: KnownOriginals) => ReadonlyMap<string, KnownOriginal>,
    headed: number,
  ): Promise<void> {
    const knownReading = this.knownReading;
    if (!this.where.writeBucket || !knownReading) return;
    const previous = await knownReading;
    const entries = merged(previous);
    if (headed > 0 || entries.size !== previous.entries.size) {
      await this.options.timer.time('originals write', () =>
        writeKnownOriginals(this.bucketContext, entries, previous, this.options.generator),
      );
    }
  }
}
