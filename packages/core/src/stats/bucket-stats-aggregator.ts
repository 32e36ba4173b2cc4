import { classifyKey } from '../layout/bucket-layout.js';
import type { ObjectSummary } from '../ports/object-store.js';
import type {
  BucketStats,
  DeltaspaceStats,
  OrphanedReference,
  UnrecoverableDeltaspace,
} from './bucket-stats-schema.js';
import { gradeDeltaspace } from './deltaspace-health.js';
import { DeltaspaceTally, type ListedDelta, type OriginalSource } from './deltaspace-tally.js';
import { detached } from './detached-string.js';
import { ListingFingerprint, STANDARD } from './listing-fingerprint.js';
import { planFor } from './stats-mode-plan.js';
import type { StatsMode } from './stats-modes.js';

/** A delta (key, size, listed ETag) and the deltaspace it belongs to. */
export interface DeltaInDeltaspace extends ListedDelta {
  readonly deltaspace: string;
}

export interface FinishOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly mode: StatsMode;
  readonly objectLimitReached: boolean;
}

/**
 * Folds a listing into bucket stats one object at a time. Memory grows with the number of
 * deltaspaces, plus 8 bytes a delta for the median that grades each deltaspace's health.
 */
export class BucketStatsAggregator {
  readonly fingerprint = new ListingFingerprint();
  private readonly tallies = new Map<string, DeltaspaceTally>();
  private directCount = 0;
  private directBytes = 0;
  private deltasWithoutMetadata = 0;
  private failedHeads = 0;
  /** Objects and bytes by storage class, over every object the stats cover. */
  private readonly storageClasses = new Map<string, { objects: number; bytes: number }>();

  /** `sampling: false` when no samples will be asked for: listing then skips ranking them. */
  constructor(private readonly options: { readonly sampling?: boolean | undefined } = {}) {}

  /** Adds one listed object. Returns it as a delta when it is one; skips internal keys. */
  add(object: ObjectSummary): DeltaInDeltaspace | undefined {
    const { kind, deltaspace } = classifyKey(object.key);
    if (kind === 'internal') return undefined;
    this.fingerprint.add(object);
    this.addToStorageClass(object.storageClass ?? STANDARD, 1, object.size);
    if (kind === 'direct') {
      this.directCount++;
      this.directBytes += object.size;
      return undefined;
    }
    const tally = this.tallyOf(deltaspace);
    if (kind === 'reference') {
      tally.referenceKey = detached(object.key);
      tally.referenceSize = object.size;
      return undefined;
    }
    // One object serves the tally and the caller (detailed mode schedules its HEAD).
    const delta: DeltaInDeltaspace = {
      key: object.key,
      size: object.size,
      etag: object.etag,
      deltaspace,
    };
    tally.addDelta(delta);
    return delta;
  }

  recordOriginal(
    delta: DeltaInDeltaspace,
    originalSize: number,
    source: OriginalSource = 'head',
  ): void {
    this.tallyOf(delta.deltaspace).recordOriginal(delta, originalSize, source);
  }

  /** An original recorded earlier turned out wrong: `to` replaces `from`, told by `source`. */
  correctOriginal(
    delta: DeltaInDeltaspace,
    from: number,
    to: number,
    source: OriginalSource,
  ): void {
    this.tallyOf(delta.deltaspace).correctOriginal(from, to, source);
  }

  /** The HEAD worked but carried no usable original size: the delta's size is estimated. */
  recordMissingMetadata(): void {
    this.deltasWithoutMetadata++;
  }

  /** The HEAD failed, or the delta vanished before it: estimated, and the result incomplete. */
  recordFailedHead(): void {
    this.failedHeads++;
  }

  /**
   * Folds in an aggregate of another part of the same listing (disjoint keys), so listings
   * split anywhere and aggregated apart give the same stats as one pass.
   */
  merge(other: BucketStatsAggregator): void {
    this.fingerprint.merge(other.fingerprint);
    this.directCount += other.directCount;
    this.directBytes += other.directBytes;
    this.deltasWithoutMetadata += other.deltasWithoutMetadata;
    this.failedHeads += other.failedHeads;
    for (const [deltaspace, tally] of other.tallies) this.tallyOf(deltaspace).merge(tally);
    for (const [storageClass, { objects, bytes }] of other.storageClasses)
      this.addToStorageClass(storageClass, objects, bytes);
  }

  /** For sampled mode: up to `perDeltaspace` representative deltas of every deltaspace. */
  sampleTargets(perDeltaspace: number): DeltaInDeltaspace[] {
    if (this.options.sampling === false)
      throw new Error('sampleTargets needs an aggregator built with sampling');
    return [...this.tallies.values()].flatMap((tally) =>
      tally
        .chooseSamples(perDeltaspace)
        .map((delta) => ({ ...delta, deltaspace: tally.deltaspace })),
    );
  }

  finish(options: FinishOptions): BucketStats {
    const totals = emptyTotals(this.directBytes);
    for (const tally of this.tallies.values()) addTally(totals, tally);
    const {
      deltaCount,
      referenceCount,
      deltaStoredBytes,
      referenceStoredBytes,
      originalBytes,
      estimatedDeltas,
      originalsFrom,
      orphanedReferences,
      unrecoverable,
      health,
      deltaspaces,
    } = totals;

    const compressedSize = this.directBytes + deltaStoredBytes + referenceStoredBytes;
    const spaceSaved = Math.max(0, originalBytes - compressedSize);
    const incomplete =
      this.failedHeads > 0 ||
      options.objectLimitReached ||
      (planFor(options.mode).exact && this.deltasWithoutMetadata > 0);
    const byName = <T extends { deltaspace: string }>(a: T, b: T) =>
      a.deltaspace < b.deltaspace ? -1 : a.deltaspace > b.deltaspace ? 1 : 0;

    return {
      bucket: options.bucket,
      objectCount: deltaCount + this.directCount,
      totalSize: originalBytes,
      compressedSize,
      spaceSaved,
      averageCompressionRatio: originalBytes === 0 ? 0 : spaceSaved / originalBytes,
      deltaObjects: deltaCount,
      directObjects: this.directCount,
      mode: options.mode,
      prefix: options.prefix,
      referenceObjects: referenceCount,
      objectLimitReached: options.objectLimitReached,
      totalSizeEstimated: estimatedDeltas > 0,
      estimatedDeltas,
      originalsFrom: { ...originalsFrom, estimate: estimatedDeltas },
      deltasWithoutMetadata: this.deltasWithoutMetadata,
      failedHeads: this.failedHeads,
      incomplete,
      orphanedReferences: orphanedReferences.sort((a, b) =>
        a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
      ),
      orphanedReferenceBytes: orphanedReferences.reduce((sum, orphan) => sum + orphan.size, 0),
      unrecoverableDeltas: unrecoverable.reduce((sum, space) => sum + space.deltas, 0),
      unrecoverableDeltaBytes: unrecoverable.reduce((sum, space) => sum + space.bytes, 0),
      unrecoverableDeltaspaces: unrecoverable.sort(byName),
      deltaspaceHealth: {
        excellent: health.excellent,
        good: health.good,
        fair: health.fair,
        poor: health.poor,
        noReference: health.no_reference,
      },
      storageClasses: [...this.storageClasses]
        .map(([storageClass, { objects, bytes }]) => ({ storageClass, objects, bytes }))
        .sort((a, b) => b.bytes - a.bytes || (a.storageClass < b.storageClass ? -1 : 1)),
      deltaspaces: deltaspaces.sort(
        (a, b) => b.spaceSaved - a.spaceSaved || (a.deltaspace < b.deltaspace ? -1 : 1),
      ),
    };
  }

  private addToStorageClass(storageClass: string, objects: number, bytes: number): void {
    const total = this.storageClasses.get(storageClass);
    if (total) {
      total.objects += objects;
      total.bytes += bytes;
    } else this.storageClasses.set(detached(storageClass), { objects, bytes });
  }

  private tallyOf(deltaspace: string): DeltaspaceTally {
    let tally = this.tallies.get(deltaspace);
    if (!tally) {
      tally = new DeltaspaceTally(detached(deltaspace), this.options.sampling !== false);
      this.tallies.set(tally.deltaspace, tally);
    }
    return tally;
  }
}

/** What `finish` adds up over the deltaspaces. */
interface Totals {
  deltaCount: number;
  referenceCount: number;
  deltaStoredBytes: number;
  referenceStoredBytes: number;
  originalBytes: number;
  estimatedDeltas: number;
  readonly originalsFrom: Record<OriginalSource, number>;
  readonly orphanedReferences: OrphanedReference[];
  readonly unrecoverable: UnrecoverableDeltaspace[];
  readonly health: Record<'excellent' | 'good' | 'fair' | 'poor' | 'no_reference', number>;
  readonly deltaspaces: DeltaspaceStats[];
}

function emptyTotals(directBytes: number): Totals {
  return {
    deltaCount: 0,
    referenceCount: 0,
    deltaStoredBytes: 0,
    referenceStoredBytes: 0,
    originalBytes: directBytes,
    estimatedDeltas: 0,
    originalsFrom: { facts: 0, cache: 0, head: 0 },
    orphanedReferences: [],
    unrecoverable: [],
    health: { excellent: 0, good: 0, fair: 0, poor: 0, no_reference: 0 },
    deltaspaces: [],
  };
}

/** One deltaspace's figures, graded, into the totals. */
function addTally(totals: Totals, tally: DeltaspaceTally): void {
  const medianDeltaSize = tally.deltaSizes.median();
  const grade =
    tally.deltaCount === 0 ? null : gradeDeltaspace(medianDeltaSize, tally.referenceSize);
  if (grade !== null) totals.health[grade]++;
  if (grade === 'no_reference') {
    // Without their reference these deltas rebuild nothing: no mode counts them as data.
    totals.unrecoverable.push({
      deltaspace: tally.deltaspace,
      deltas: tally.deltaCount,
      bytes: tally.deltaBytes,
    });
    totals.deltaspaces.push({
      deltaspace: tally.deltaspace,
      deltaObjects: 0,
      unrecoverableDeltas: tally.deltaCount,
      medianDeltaSize,
      health: grade,
      referenceSize: 0,
      originalSize: 0,
      storedSize: 0,
      spaceSaved: 0,
      compressionRatio: 0,
      orphaned: false,
      originalsFrom: { facts: 0, cache: 0, head: 0, estimate: 0 },
    });
    return;
  }
  const original = tally.exactOriginalBytes + tally.estimatedUnknownOriginalBytes();
  const stored = tally.deltaBytes + (tally.deltaCount > 0 ? (tally.referenceSize ?? 0) : 0);
  const saved = Math.max(0, original - stored);
  totals.deltaspaces.push({
    deltaspace: tally.deltaspace,
    deltaObjects: tally.deltaCount,
    unrecoverableDeltas: 0,
    medianDeltaSize,
    health: grade,
    referenceSize: tally.referenceSize ?? 0,
    originalSize: original,
    storedSize: stored,
    spaceSaved: saved,
    compressionRatio: original === 0 ? 0 : saved / original,
    orphaned: tally.deltaCount === 0 && tally.referenceSize !== undefined,
    originalsFrom: { ...tally.exactFrom, estimate: tally.unknownCount },
  });
  totals.deltaCount += tally.deltaCount;
  totals.deltaStoredBytes += tally.deltaBytes;
  totals.originalBytes += original;
  totals.estimatedDeltas += tally.unknownCount;
  for (const source of ['facts', 'cache', 'head'] as const)
    totals.originalsFrom[source] += tally.exactFrom[source];
  if (tally.referenceKey === undefined || tally.referenceSize === undefined) return;
  totals.referenceCount++;
  // A reference only counts as stored user data while some delta needs it.
  if (tally.deltaCount > 0) totals.referenceStoredBytes += tally.referenceSize;
  else totals.orphanedReferences.push({ key: tally.referenceKey, size: tally.referenceSize });
}
