import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BucketStatsResult, listAllObjects, type ObjectStore } from '@deltaglider/core';
import {
  addProxyListingFacts,
  directorySink,
  type InventoryEntry,
  type InventoryReportOptions,
  loadFixtureBucket,
  storeSink,
  writeInventoryReport,
} from '@deltaglider/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import { memoryBackend, type StatsBackend, s3Backend } from './test-support/stats-backends.js';

// Stats from an S3 Inventory must equal stats from a listing of the same bucket: the same
// classifier and aggregator, facts matched to deltas whatever order the rows come in.

const createdAt = new Date(Date.UTC(2026, 11, 1, 1, 0));

/** Every object of the bucket as an inventory row, in a scrambled but fixed order. */
async function entriesOf(store: ObjectStore, bucket: string): Promise<InventoryEntry[]> {
  const entries: InventoryEntry[] = [];
  for await (const page of listAllObjects(store, bucket))
    for (const object of page)
      entries.push({ key: object.key, size: object.size, etag: object.etag.replace(/"/g, '') });
  return entries
    .map((entry, index) => ({ entry, rank: (index * 7919) % 104_729 }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ entry }) => entry);
}

/** The stats without what says where they came from. */
function numbersOf(result: BucketStatsResult): Record<string, unknown> {
  const { cache: _cache, ...rest } = result as BucketStatsResult & Record<string, unknown>;
  const { source: _source, asOf: _asOf, inventory: _inventory, ...numbers } = rest;
  return numbers;
}

/** A bucket as deltaglider_proxy 2.0 leaves it, with a few keys that need URL-encoding. */
async function seedBucket(store: ObjectStore, bucket: string): Promise<void> {
  await loadFixtureBucket(store, bucket);
  const facts = await addProxyListingFacts(store, bucket);
  // One delta without facts: its original is estimated, in both.
  await store.delete(bucket, facts[0]!);
  for (const key of ['notes/a b+c.txt', 'notes/100%.txt', 'notes/日本.txt'])
    await store.put(bucket, key, new TextEncoder().encode(key));
}

describe.each([memoryBackend(), s3Backend()])(
  'stats from an S3 Inventory on $name',
  (backend: StatsBackend) => {
    let scratch: string;
    beforeAll(async () => {
      await backend.start();
      scratch = await mkdtemp(join(tmpdir(), 'dg-inventory-'));
    });
    afterAll(async () => {
      await backend.stop();
      await rm(scratch, { recursive: true, force: true });
    });

    it.each(['CSV', 'Parquet'] as const)(
      'gives the numbers a listing gives, from %s in the bucket and in a local copy',
      async (format) => {
        const { store, bucket } = await backend.newBucket();
        await seedBucket(store, bucket);
        const client = createClient({ store, localStatsCache: false });
        const listed = await client.getBucketStats(bucket, { useCache: false, byDeltaspace: true });
        expect(listed.originalsFrom).toMatchObject({ facts: expect.any(Number), estimate: 1 });
        const entries = await entriesOf(store, bucket);
        const report: InventoryReportOptions = {
          sourceBucket: bucket,
          configPrefix: `reports/${bucket}/daily/`,
          format,
          createdAt,
          rowsPerFile: 7,
          rowGroupRows: 3,
        };
        const local = join(scratch, `${bucket}-${format}`);
        await writeInventoryReport(directorySink(local), report, entries);
        // The same bucket as destination (AWS allows it), written after the listing above.
        await writeInventoryReport(storeSink(store, bucket), report, entries);

        for (const inventory of [
          `s3://${bucket}/reports/${bucket}/daily/`,
          pathToFileURL(join(local, 'reports', bucket, 'daily')).href,
          // A copy of the whole destination bucket works too: data files are found by key.
          pathToFileURL(local).href.replace(/$/, `/reports/${bucket}/daily`),
        ]) {
          const fromInventory = await client.getInventoryStats(bucket, {
            inventory,
            byDeltaspace: true,
          });
          expect(numbersOf(fromInventory)).toEqual(numbersOf(listed));
          expect(fromInventory).toMatchObject({
            source: 'inventory',
            asOf: createdAt.toISOString(),
            cache: { status: 'disabled', written: false },
            inventory: { format, rows: entries.length, files: Math.ceil(entries.length / 7) },
          });
        }
      },
    );
  },
);

describe('stats from a versioned S3 Inventory', () => {
  it('counts current versions only; older versions and delete markers are totalled apart', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'dg-inventory-'));
    try {
      const entries: InventoryEntry[] = [
        { key: 'app/reference.bin', size: 1000, etag: 'aa', isLatest: true, versionId: 'r1' },
        { key: 'app/v1.zip.delta', size: 40, etag: 'bb', isLatest: true, versionId: 'd2' },
        { key: 'app/v1.zip.delta', size: 45, etag: 'bc', isLatest: false, versionId: 'd1' },
        {
          key: 'app/readme.txt',
          size: 0,
          etag: '',
          isLatest: true,
          isDeleteMarker: true,
          versionId: 'm1',
        },
        {
          key: 'app/readme.txt',
          size: 300,
          etag: 'cc',
          isLatest: false,
          versionId: 't1',
          storageClass: 'GLACIER',
        },
      ];
      for (const format of ['CSV', 'Parquet'] as const) {
        const root = join(directory, format);
        await writeInventoryReport(
          directorySink(root),
          { sourceBucket: 'b', configPrefix: '', format, createdAt, versioned: true },
          entries,
        );
        const stats = await createClient({ localStatsCache: false }).getInventoryStats('b', {
          inventory: pathToFileURL(root).href,
        });
        expect(stats).toMatchObject({
          objectCount: 1,
          deltaObjects: 1,
          compressedSize: 1040,
          inventory: {
            noncurrentVersions: { objects: 2, bytes: 345 },
            deleteMarkers: 1,
            storageClasses: [{ storageClass: 'STANDARD', objects: 2, bytes: 1040 }],
            multipartObjects: 0,
          },
        });
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
