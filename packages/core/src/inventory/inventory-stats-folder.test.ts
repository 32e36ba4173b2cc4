import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factsKeyOf, type ListingFact } from '../layout/listing-facts.js';
import { BucketStatsAggregator } from '../stats/bucket-stats-aggregator.js';
import type { InventoryRow } from './inventory-row.js';
import { InventoryStatsFolder } from './inventory-stats-folder.js';

// An inventory's rows, in any order, must give the stats a listing of the same bucket gives:
// the same aggregator fed in key order, each delta's original told by its facts entry.

const directory = fc.constantFrom(
  '',
  'releases/',
  'releases/app/',
  'lib/',
  'x y/',
  '.deltaglider/',
);
const name = fc.constantFrom(
  'reference.bin',
  'app-1.0.zip.delta',
  'app-1.1.zip.delta',
  'app-2.0.zip.delta',
  'readme.txt',
  'lib.jar.delta',
);
const object = fc.record({
  key: fc.tuple(directory, name).map(([dir, file]) => `${dir}${file}`),
  size: fc.nat({ max: 5_000_000 }),
  etag: fc.stringMatching(/^[0-9a-f]{4,8}$/),
  factsOriginal: fc.option(fc.nat({ max: 50_000_000 }), { nil: undefined }),
});
const bucket = fc.uniqueArray(object, { selector: (o) => o.key, maxLength: 40 });

type Generated = typeof object extends fc.Arbitrary<infer T> ? T : never;

function factOf(o: Generated): ListingFact | undefined {
  if (o.factsOriginal === undefined || !o.key.endsWith('.delta')) return undefined;
  return {
    storedKey: o.key,
    storedEtag: o.etag,
    storedSize: o.size,
    originalSize: o.factsOriginal,
    originalEtag: 'ffff',
  };
}

/** The stats a listing gives: objects in key order, facts looked up per delta. */
function listedStats(objects: readonly Generated[], prefix: string) {
  const aggregator = new BucketStatsAggregator({ sampling: false });
  const sorted = [...objects].sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const o of sorted) {
    if (!o.key.startsWith(prefix)) continue;
    const delta = aggregator.add({ ...o, lastModified: new Date(0) });
    const fact = factOf(o);
    if (delta && fact && factsKeyOf(fact))
      aggregator.recordOriginal(delta, fact.originalSize, 'facts');
  }
  return aggregator.finish({ bucket: 'b', prefix, mode: 'quick', objectLimitReached: false });
}

function rowsOf(objects: readonly Generated[]): InventoryRow[] {
  const rows: InventoryRow[] = [];
  for (const o of objects) {
    rows.push({ key: o.key, size: o.size, etag: o.etag, isLatest: true, storageClass: 'STANDARD' });
    const fact = factOf(o);
    const factsKey = fact && factsKeyOf(fact);
    if (factsKey) rows.push({ key: factsKey, size: 0, etag: 'd41d8cd9', isLatest: true });
  }
  return rows;
}

function folded(rows: readonly InventoryRow[], prefix: string) {
  const folder = new InventoryStatsFolder({ prefix, etagsListed: true });
  for (const row of rows) folder.add(row);
  return folder.finish('b');
}

describe('InventoryStatsFolder', () => {
  it('gives the stats a listing gives, whatever the order of the rows', () => {
    fc.assert(
      fc.property(
        bucket,
        fc.constantFrom('', 'releases/'),
        fc.func(fc.integer()),
        (objects, prefix, order) => {
          const rows = rowsOf(objects);
          const shuffled = rows
            .map((row, index) => ({ row, rank: order(index) }))
            .sort((a, b) => a.rank - b.rank)
            .map(({ row }) => row);
          const { stats } = folded(shuffled, prefix);
          expect(stats).toEqual(listedStats(objects, prefix));
        },
      ),
    );
  });

  it('counts current versions only, and totals older ones and delete markers apart', () => {
    const { stats, totals } = folded(
      [
        { key: 'a/reference.bin', size: 100, isLatest: true, storageClass: 'STANDARD' },
        { key: 'a/v1.zip.delta', size: 10, isLatest: true, storageClass: 'GLACIER' },
        { key: 'a/v1.zip.delta', size: 12, isLatest: false, storageClass: 'STANDARD' },
        { key: 'a/gone.txt', size: 0, isLatest: true, isDeleteMarker: true },
        { key: 'a/gone.txt', size: 7, isLatest: false },
      ],
      '',
    );
    expect(stats.deltaObjects).toBe(1);
    expect(stats.directObjects).toBe(0);
    expect(stats.compressedSize).toBe(110);
    expect(totals.noncurrentVersions).toEqual({ objects: 2, bytes: 19 });
    expect(totals.deleteMarkers).toBe(1);
    expect(totals.storageClasses).toEqual([
      { storageClass: 'GLACIER', objects: 1, bytes: 10 },
      { storageClass: 'STANDARD', objects: 1, bytes: 100 },
    ]);
    expect(totals.rows).toBe(5);
  });

  it('trusts no facts for an object when two entries disagree', () => {
    const fact = (originalSize: number) =>
      factsKeyOf({
        storedKey: 'a/v.zip.delta',
        storedEtag: 'abcd',
        storedSize: 10,
        originalSize,
        originalEtag: 'ffff',
      })!;
    const { stats } = folded(
      [
        { key: 'a/reference.bin', size: 100, etag: 'aaaa' },
        { key: 'a/v.zip.delta', size: 10, etag: 'abcd' },
        { key: fact(120), size: 0 },
        { key: fact(130), size: 0 },
      ],
      '',
    );
    expect(stats.originalsFrom).toEqual({ facts: 0, cache: 0, head: 0, estimate: 1 });
  });
});
