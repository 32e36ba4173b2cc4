import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { createClient } from '@deltaglider/sdk';
import { type InventoryEntry, storeSink, writeInventoryReport } from '@deltaglider/test-fixtures';
import { describe, expect, it } from 'vitest';
import { StatsRefresher } from './stats-refresher.js';
import type { StatsSource } from './stats-source.js';
import { resolveTarget } from './stats-target.js';

// An exporter target read from S3 Inventory: its report is read once, and again only when a
// newer one appears (each refresh lists the report folders, nothing more).

const silent = { debug() {}, info() {}, warn() {} };

const deltas = (count: number): InventoryEntry[] => [
  { key: 'app/reference.bin', size: 1000, etag: 'aa' },
  ...Array.from({ length: count }, (_, index) => ({
    key: `app/v${index}.zip.delta`,
    size: 10 + index,
    etag: `e${index}`,
  })),
];

describe('an inventory target', () => {
  it('is read when a newer report appears, and only then', async () => {
    const store = createMemoryObjectStore();
    await store.createBucket('inventories');
    const client = createClient({ store, localStatsCache: false });
    let reads = 0;
    const source: StatsSource = {
      getBucketStats: (bucket, options) => client.getBucketStats(bucket, options),
      cachedStats: (bucket, options) => client.cachedStats(bucket, options),
      cacheStatistics: () => client.cacheStatistics(),
      inventoryReport: (inventory, options) => client.inventoryReport(inventory, options),
      getInventoryStats: (bucket, request) => {
        reads++;
        return client.getInventoryStats(bucket, request);
      },
    };
    const report = (day: number, entries: InventoryEntry[]) =>
      writeInventoryReport(
        storeSink(store, 'inventories'),
        {
          sourceBucket: 'releases',
          configPrefix: 'inv/releases/daily/',
          format: 'CSV',
          createdAt: new Date(Date.UTC(2026, 11, day, 1, 0)),
        },
        entries,
      );
    await report(1, deltas(3));
    let now = 0;
    const refresher = new StatsRefresher(source, {
      intervalSeconds: 60,
      concurrency: 1,
      logger: silent,
      now: () => now,
    });
    const target = resolveTarget(
      { bucket: 'releases', inventory: 's3://inventories/inv/releases/daily/' },
      'detailed',
    );
    expect(target.mode).toBe('quick');
    refresher.watch(target);
    await refresher.primeFromBucketCache(target);
    const refreshed = async () => {
      refresher.tick();
      await refresher.refreshing(target);
      return refresher.view(target)!;
    };

    const first = await refreshed();
    expect(first.stats?.deltaObjects).toBe(3);
    expect(first.computedAt).toBe('2026-12-01T01:00:00.000Z');
    expect(reads).toBe(1);

    now += 61_000;
    const unchanged = await refreshed();
    expect(unchanged.refreshes).toEqual({ succeeded: 2, failed: 0 });
    expect(reads).toBe(1);

    await report(2, deltas(5));
    now += 61_000;
    const newer = await refreshed();
    expect(newer.stats?.deltaObjects).toBe(5);
    expect(newer.computedAt).toBe('2026-12-02T01:00:00.000Z');
    expect(reads).toBe(2);
    await refresher.stop();
  });

  it('refuses a mode other than quick', () => {
    expect(() =>
      resolveTarget({ bucket: 'releases', inventory: 's3://i/', mode: 'detailed' }, 'quick'),
    ).toThrow(/quick stats only/);
  });
});
