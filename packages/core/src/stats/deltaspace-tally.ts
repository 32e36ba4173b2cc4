import { detached } from './detached-string.js';
import { SizeList } from './size-list.js';

/** A delta as the listing shows it. */
export interface ListedDelta {
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
}

/** Where a delta's original size came from: a facts entry, the known-originals companion, a HEAD. */
export type OriginalSource = 'facts' | 'cache' | 'head';

/** How many deltas per deltaspace are kept as sampling candidates, chosen by key hash. */
const CANDIDATE_POOL_SIZE = 8;
/**
 * How many known originals a deltaspace keeps to fit its estimate: a line needs few points,
 * and listing facts can tell millions (each kept would cost memory per delta).
 */
const SAMPLE_LIMIT = 32;

interface OriginalSample {
  readonly deltaSize: number;
  readonly originalSize: number;
  /** Which samples are kept past the limit: the lowest ranks, whatever the order they came in. */
  readonly rank: number;
}

/**
 * What one deltaspace contributes to the stats: counts and sums from the listing, originals
 * learnt from HEADs, a few candidates for sampling, and each delta's size (8 bytes a delta,
 * for the median that grades its health).
 */
export class DeltaspaceTally {
  referenceKey: string | undefined;
  referenceSize: number | undefined;
  deltaCount = 0;
  deltaBytes = 0;
  /** Every delta's listed size, for the median that grades the deltaspace's health. */
  readonly deltaSizes = new SizeList();
  smallestDelta: ListedDelta | undefined;
  largestDelta: ListedDelta | undefined;
  /** Deltas with the lowest key hashes: a deterministic, uniform sample of the deltaspace. */
  readonly candidates: Array<ListedDelta & { rank: number }> = [];

  /** Deltas whose original size is known (from facts, the companion or a HEAD). */
  exactCount = 0;
  /** Of those, how many each source told. */
  readonly exactFrom: Record<OriginalSource, number> = { facts: 0, cache: 0, head: 0 };
  exactDeltaBytes = 0;
  exactOriginalBytes = 0;
  /** Known originals, the SAMPLE_LIMIT of lowest rank in rank order, for fitting the estimate. */
  private readonly samples: OriginalSample[] = [];

  /**
   * `keepsCandidates`: rank each delta for sampling. Only sampled mode chooses samples, and the
   * ranking hashes every key, so quick and detailed listings skip it.
   */
  constructor(
    readonly deltaspace: string,
    private readonly keepsCandidates = true,
  ) {}

  addDelta(delta: ListedDelta): void {
    this.deltaCount++;
    this.deltaBytes += delta.size;
    this.deltaSizes.push(delta.size);
    if (!this.smallestDelta || delta.size < this.smallestDelta.size)
      this.smallestDelta = keptCopy(delta);
    if (!this.largestDelta || delta.size > this.largestDelta.size)
      this.largestDelta = keptCopy(delta);
    if (!this.keepsCandidates) return;
    const rank = hashKey(delta.key);
    if (
      this.candidates.length < CANDIDATE_POOL_SIZE ||
      rank < this.candidates[this.candidates.length - 1]!.rank
    ) {
      this.candidates.push({ ...keptCopy(delta), rank });
      this.candidates.sort((a, b) => a.rank - b.rank);
      if (this.candidates.length > CANDIDATE_POOL_SIZE) this.candidates.pop();
    }
  }

  /** Folds in another tally of the same deltaspace, as if both listings had been one. */
  merge(other: DeltaspaceTally): void {
    if (other.referenceKey !== undefined) {
      this.referenceKey = other.referenceKey;
      this.referenceSize = other.referenceSize;
    }
    this.deltaCount += other.deltaCount;
    this.deltaBytes += other.deltaBytes;
    this.deltaSizes.append(other.deltaSizes);
    if (
      other.smallestDelta &&
      (!this.smallestDelta || other.smallestDelta.size < this.smallestDelta.size)
    ) {
      this.smallestDelta = other.smallestDelta;
    }
    if (
      other.largestDelta &&
      (!this.largestDelta || other.largestDelta.size > this.largestDelta.size)
    ) {
      this.largestDelta = other.largestDelta;
    }
    this.candidates.push(...other.candidates);
    this.candidates.sort((a, b) => a.rank - b.rank);
    this.candidates.splice(CANDIDATE_POOL_SIZE);
    this.exactCount += other.exactCount;
    for (const source of ['facts', 'cache', 'head'] as const)
      this.exactFrom[source] += other.exactFrom[source];
    this.exactDeltaBytes += other.exactDeltaBytes;
    this.exactOriginalBytes += other.exactOriginalBytes;
    for (const sample of other.samples) this.addSample(sample);
  }

  recordOriginal(delta: ListedDelta, originalSize: number, source: OriginalSource): void {
    this.exactCount++;
    this.exactFrom[source]++;
    this.exactDeltaBytes += delta.size;
    this.exactOriginalBytes += originalSize;
    const rank = rankOf(delta.size, originalSize);
    // Most known originals rank below none kept: they cost no object at all.
    if (this.samples.length < SAMPLE_LIMIT || rank < this.samples.at(-1)!.rank)
      this.addSample({ deltaSize: delta.size, originalSize, rank });
  }

  private addSample(sample: OriginalSample): void {
    const { samples } = this;
    let at = samples.length;
    while (at > 0 && compareSamples(sample, samples[at - 1]!) < 0) at--;
    if (at >= SAMPLE_LIMIT) return;
    samples.splice(at, 0, sample);
    if (samples.length > SAMPLE_LIMIT) samples.pop();
  }

  /** Replaces an original recorded from facts with the one `source` told. */
  correctOriginal(from: number, to: number, source: OriginalSource): void {
    this.exactOriginalBytes += to - from;
    this.exactFrom.facts--;
    this.exactFrom[source]++;
  }

  /**
   * Up to `count` deltas whose originals best predict the rest: the largest, then the one
   * closest to the mean size. The smallest is skipped while others exist, because it is
   * usually the zero-diff delta of the reference and says nothing about later versions.
   */
  chooseSamples(count: number): ListedDelta[] {
    const pool = new Map<string, ListedDelta>();
    for (const delta of [this.largestDelta, ...this.candidates])
      if (delta) pool.set(delta.key, delta);
    if (pool.size > 1 && this.smallestDelta) pool.delete(this.smallestDelta.key);
    const chosen: ListedDelta[] = [];
    const largest = [...pool.values()].sort((a, b) => b.size - a.size)[0];
    if (largest) {
      chosen.push(largest);
      pool.delete(largest.key);
    }
    const mean = this.deltaCount === 0 ? 0 : this.deltaBytes / this.deltaCount;
    const nearMean = [...pool.values()].sort(
      (a, b) => Math.abs(a.size - mean) - Math.abs(b.size - mean) || (a.key < b.key ? -1 : 1),
    );
    chosen.push(...nearMean.slice(0, Math.max(0, count - chosen.length)));
    return chosen.slice(0, count);
  }

  /** Deltas whose original size is not known: it is estimated. */
  get unknownCount(): number {
    return this.deltaCount - this.exactCount;
  }

  /**
   * The original bytes of the deltas no HEAD told us about. Without samples, each is taken to
   * be as large as the reference (release archives change little between versions). With
   * samples, originals grow with delta size along a line through the smallest delta at the
   * reference's size and the sampled points.
   */
  estimatedUnknownOriginalBytes(): number {
    const unknown = this.unknownCount;
    if (unknown === 0) return 0;
    const unknownDeltaBytes = this.deltaBytes - this.exactDeltaBytes;
    // No reference listed: the delta itself is all we can vouch for.
    const base = this.referenceSize ?? unknownDeltaBytes / unknown;
    const floor = this.smallestDelta?.size ?? 0;
    const { samples } = this;
    // The smallest deltas (the zero-diff delta of the reference) say nothing about the slope.
    const slopes = samples
      .filter((sample) => sample.deltaSize > floor)
      .map((sample) => (sample.originalSize - base) / (sample.deltaSize - floor));
    if (slopes.length > 0) {
      const slope = slopes.reduce((sum, value) => sum + value, 0) / slopes.length;
      return Math.max(
        0,
        Math.round(unknown * base + slope * (unknownDeltaBytes - unknown * floor)),
      );
    }
    if (samples.length > 0 && base > 0) {
      const scale =
        samples.reduce((sum, sample) => sum + sample.originalSize / base, 0) / samples.length;
      return Math.round(unknown * base * scale);
    }
    return Math.round(unknown * base);
  }
}

/** A delta to keep past the listing page or inventory chunk it came in: see `detached`. */
function keptCopy(delta: ListedDelta): ListedDelta {
  return {
    key: detached(delta.key),
    size: delta.size,
    ...(delta.etag === undefined ? {} : { etag: detached(delta.etag) }),
  };
}

/** Rank order, sizes breaking ties, so the kept samples never depend on arrival order. */
function compareSamples(a: OriginalSample, b: OriginalSample): number {
  return a.rank - b.rank || a.deltaSize - b.deltaSize || a.originalSize - b.originalSize;
}

/** A stable rank of a sample from its sizes alone, so the kept samples never depend on order. */
function rankOf(deltaSize: number, originalSize: number): number {
  let hash = Math.imul((deltaSize % 0x7fffffff) ^ 0x9e3779b9, 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13) ^ (originalSize % 0x7fffffff), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** FNV-1a: a fast, stable 32-bit hash, so the same bucket always samples the same deltas. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
