import pLimit from 'p-limit';
import { isPlausibleOriginal } from '../../cache/cache-consistency.js';
import type { KnownOriginal, KnownOriginals } from '../../cache/known-originals.js';
import { isAbortError } from '../../errors/is-abort-error.js';
import { messageOf } from '../../errors/message-of.js';
import { KNOWN_ORIGINALS_KEY } from '../../layout/bucket-layout.js';
import type { ListingFactsIndex } from '../../listing/listing-facts-index.js';
import { readMetadataSize } from '../../metadata/read-metadata-field.js';
import type { Logger } from '../../ports/logger.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type {
  BucketStatsAggregator,
  DeltaInDeltaspace,
} from '../../stats/bucket-stats-aggregator.js';
import { DEFAULT_HEAD_CONCURRENCY, type GetBucketStatsOptions } from './stats-options.js';

/**
 * How far to go for one delta's original size:
 * - `facts`: a listing-facts entry or nothing (quick and sampled modes, for every delta);
 * - `head`: facts, else the known-originals companion, else a HEAD (detailed mode);
 * - `sample`: like `head`, for a sampled delta whose facts, if any, were already counted.
 */
export type ResolvePolicy = 'facts' | 'head' | 'sample';

/** Where originals come from before a HEAD, each read on first use. */
export interface OriginalSources {
  readonly facts: () => Promise<ListingFactsIndex>;
  readonly known: () => Promise<KnownOriginals | undefined>;
  /** The companion when this call has already read it (facts never trigger its GET). */
  readonly knownIfRead: () => Promise<KnownOriginals | undefined> | undefined;
  /** Whether a companion may be read at all (else facts need no reconciling). */
  readonly usesKnown: boolean;
}

/**
 * Resolves deltas' original sizes with bounded concurrency and folds them into the stats:
 * from a listing-facts entry for the delta's very ETag and size, else from the known-originals
 * companion when the delta's ETag is unchanged, else by HEAD.
 */
export class HeadRunner {
  private readonly limit;
  private readonly inFlight = new Set<Promise<void>>();
  private roomFreed: (() => void) | undefined;
  private done = 0;
  private total = 0;
  private cancelled = false;
  /** The listing facts, once read. */
  private factsRead: ListingFactsIndex | undefined;
  /** Originals resolved in this call, for the companion. */
  readonly resolved = new Map<string, KnownOriginal>();
  /** How many of those needed a HEAD. */
  headed = 0;
  /** Deltas whose original a facts entry gave, for `reconcileFacts`. */
  private readonly fromFacts = new Map<
    string,
    { delta: DeltaInDeltaspace; originalSize: number }
  >();

  constructor(
    private readonly store: ObjectStore,
    private readonly bucket: string,
    private readonly aggregator: BucketStatsAggregator,
    private readonly options: GetBucketStatsOptions,
    private readonly logger: Logger,
    private readonly sources: OriginalSources,
  ) {
    this.limit = pLimit(options.concurrency ?? DEFAULT_HEAD_CONCURRENCY);
  }

  /** The listing pauses while more HEADs than this wait. */
  private get roomThreshold(): number {
    return this.limit.concurrency * 8;
  }

  schedule(delta: DeltaInDeltaspace, policy: ResolvePolicy = 'head'): void {
    // Once the bucket turned out to keep no facts, a facts-only look-up has nothing to find: a
    // quick listing of such a bucket then costs no task per delta.
    if (policy === 'facts' && this.factsRead?.size === 0) return;
    if (policy !== 'facts') this.total++;
    const task = this.limit(() => this.resolveOne(delta, policy)).finally(() => {
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

  private async resolveOne(delta: DeltaInDeltaspace, policy: ResolvePolicy): Promise<void> {
    if (this.cancelled) return;
    this.factsRead = await this.sources.facts();
    const verdict = this.factsRead.verdictFor(delta);
    if (verdict.kind === 'conflicting')
      this.logger.debug(`listing facts of ${delta.key} disagree with each other; neither used`);
    if (verdict.kind === 'applies') {
      if (policy === 'sample') return;
      this.recordFacts(delta, verdict.originalSize);
      return;
    }
    if (policy !== 'facts') await this.headOne(delta);
  }

  /**
   * A facts entry's original. Kept aside too, so that if this call reads the companion (some
   * other delta needed it), an entry that contradicts the delta's own metadata can be found.
   */
  private recordFacts(delta: DeltaInDeltaspace, originalSize: number): void {
    this.aggregator.recordOriginal(delta, originalSize, 'facts');
    if (this.sources.usesKnown) this.fromFacts.set(delta.key, { delta, originalSize });
  }

  /**
   * Where the companion was read, its `dg-file-size` (learnt by HEAD) wins over a facts entry
   * for the same delta version that says otherwise: a warning names the key.
   */
  async reconcileFacts(): Promise<void> {
    const known = await this.sources.knownIfRead();
    if (known) {
      for (const { delta, originalSize } of this.fromFacts.values()) {
        const entry = known.entries.get(delta.key);
        if (!entry || entry.etag !== delta.etag || entry.size === originalSize) continue;
        this.logger.warn(
          `${delta.key}: its listing-facts entry says ${originalSize} bytes, its dg-file-size metadata ${entry.size}; the metadata is used`,
        );
        this.aggregator.correctOriginal(delta, originalSize, entry.size, 'cache');
      }
    }
    this.fromFacts.clear();
  }

  private async headOne(delta: DeltaInDeltaspace): Promise<void> {
    const signal = this.options.signal;
    const known = (await this.sources.known())?.entries.get(delta.key);
    const current = known && delta.etag !== undefined && known.etag === delta.etag;
    if (current && !isPlausibleOriginal(known.size, delta.size)) {
      this.logger.warn(
        `${KNOWN_ORIGINALS_KEY}: the entry for ${delta.key} says ${known.size} bytes, less than its ${delta.size}-byte delta; ignored, asking S3 instead`,
      );
    } else if (current) {
      this.aggregator.recordOriginal(delta, known.size, 'cache');
      this.resolved.set(delta.key, known);
      this.done++;
      this.options.onProgress?.({ phase: 'head', done: this.done, total: this.total });
      return;
    }
    this.headed++;
    try {
      const head = await this.store.head(this.bucket, delta.key, { signal });
      const originalSize = head ? readMetadataSize(head.metadata, 'file-size') : undefined;
      if (!head) {
        this.logger.debug(`delta ${delta.key} vanished before its HEAD`);
        this.aggregator.recordFailedHead();
      } else if (originalSize === undefined) {
        this.logger.debug(`delta ${delta.key} has no usable dg-file-size metadata`);
        this.aggregator.recordMissingMetadata();
      } else {
        this.aggregator.recordOriginal(delta, originalSize, 'head');
        if (delta.etag !== undefined)
          this.resolved.set(delta.key, { etag: delta.etag, size: originalSize });
      }
    } catch (error) {
      if (isAbortError(error)) throw error;
      this.logger.debug(`HEAD ${delta.key} failed: ${messageOf(error)}`);
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
export function mergeKnownOriginals(
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
