import { isInternalKey, normalizePrefix } from '../layout/bucket-layout.js';
import { isFactsKey, parseFactsKey } from '../layout/listing-facts.js';
import { BucketStatsAggregator } from '../stats/bucket-stats-aggregator.js';
import type { BucketStats } from '../stats/bucket-stats-schema.js';
import { detached } from '../stats/detached-string.js';
import { FactsJoin } from './facts-join.js';
import type { InventoryRow } from './inventory-row.js';

/** Objects and bytes. */
export interface ObjectTotal {
  readonly objects: number;
  readonly bytes: number;
}

export interface StorageClassTotal extends ObjectTotal {
  /** As S3 names it: `STANDARD`, `GLACIER`, `INTELLIGENT_TIERING`... */
  readonly storageClass: string;
}

/** What an inventory tells beyond the stats a listing gives. */
export interface InventoryTotals {
  /** Rows read, of every kind. */
  readonly rows: number;
  /** Versions that are no longer current (a versioned inventory): billed, not counted above. */
  readonly noncurrentVersions: ObjectTotal;
  readonly deleteMarkers: number;
  /** Current objects counted in the stats, by storage class (when the inventory has it). */
  readonly storageClasses: readonly StorageClassTotal[];
  /** Current objects counted in the stats that were uploaded in parts (when it has that). */
  readonly multipartObjects: number | undefined;
  /** Listing-facts objects in the inventory (deltaglider_proxy 2.0 writes one per delta). */
  readonly factsObjects: number;
}

const NEVER = new Date(0);

/**
 * Folds inventory rows, in any order, into the stats a listing gives: the rows go through the
 * same classifier and aggregator as listed objects. A delta's original comes from its listing
 * facts row (matched after the last row, as rows come unsorted), else it is estimated as in
 * quick mode. Only current versions count; older versions and delete markers are totalled apart.
 */
export class InventoryStatsFolder {
  private readonly aggregator = new BucketStatsAggregator({ sampling: false });
  private readonly join: FactsJoin;
  private readonly prefix: string;
  private readonly groups = new Map<string, number>();
  private readonly groupNames: string[] = [];
  private rows = 0;
  private factsObjects = 0;
  private deleteMarkers = 0;
  private noncurrent = { objects: 0, bytes: 0 };
  private readonly storageClasses = new Map<string, { objects: number; bytes: number }>();
  private multipartObjects = 0;
  private readonly multipartListed: boolean;

  constructor(options: {
    readonly prefix?: string | undefined;
    /** Whether rows carry ETags (facts then match on them, as in a listing). */
    readonly etagsListed: boolean;
    /** Whether rows say if they were uploaded in parts. */
    readonly multipartListed?: boolean | undefined;
  }) {
    this.prefix = normalizePrefix(options.prefix);
    this.join = new FactsJoin(options.etagsListed);
    this.multipartListed = options.multipartListed === true;
  }

  add(row: InventoryRow): void {
    this.rows++;
    if (row.isDeleteMarker) {
      this.deleteMarkers++;
      return;
    }
    if (row.isLatest === false) {
      this.noncurrent.objects++;
      this.noncurrent.bytes += row.size;
      return;
    }
    if (isFactsKey(row.key)) {
      this.factsObjects++;
      const fact = parseFactsKey(row.key);
      if (fact?.storedKey.startsWith(this.prefix)) this.join.addFact(fact);
      return;
    }
    if (!row.key.startsWith(this.prefix) || isInternalKey(row.key)) return;
    const delta = this.aggregator.add({
      key: row.key,
      size: row.size,
      etag: row.etag ?? '',
      lastModified: NEVER,
      storageClass: row.storageClass,
    });
    if (row.storageClass !== undefined) {
      const total = this.storageClasses.get(row.storageClass) ?? { objects: 0, bytes: 0 };
      total.objects++;
      total.bytes += row.size;
      this.storageClasses.set(row.storageClass, total);
    }
    if (row.isMultipartUploaded) this.multipartObjects++;
    if (!delta) return;
    const original = this.join.addDelta(
      row.key,
      row.etag,
      row.size,
      this.groupOf(delta.deltaspace),
    );
    if (original !== undefined) this.aggregator.recordOriginal(delta, original, 'facts');
  }

  finish(bucket: string): { stats: BucketStats; totals: InventoryTotals } {
    this.join.resolve((group, deltaSize, originalSize) =>
      this.aggregator.recordOriginal(
        { key: '', size: deltaSize, etag: '', deltaspace: this.groupNames[group]! },
        originalSize,
        'facts',
      ),
    );
    const stats = this.aggregator.finish({
      bucket,
      prefix: this.prefix,
      mode: 'quick',
      objectLimitReached: false,
    });
    return {
      stats,
      totals: {
        rows: this.rows,
        noncurrentVersions: { ...this.noncurrent },
        deleteMarkers: this.deleteMarkers,
        storageClasses: [...this.storageClasses]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([storageClass, total]) => ({ storageClass, ...total })),
        multipartObjects: this.multipartListed ? this.multipartObjects : undefined,
        factsObjects: this.factsObjects,
      },
    };
  }

  private groupOf(deltaspace: string): number {
    let group = this.groups.get(deltaspace);
    if (group === undefined) {
      group = this.groupNames.length;
      const name = detached(deltaspace);
      this.groups.set(name, group);
      this.groupNames.push(name);
    }
    return group;
  }
}
