import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';
import { describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';

// What a long-running process (an exporter) reads to see how its stats calls used the cache.

/** The Python fixture bucket in memory, and a client whose clock the test moves. */
async function releasesBucket() {
  const store = createMemoryObjectStore();
  await store.createBucket('releases');
  await loadFixtureBucket(store, 'releases');
  const clock = { at: Date.parse('2026-12-01T10:00:00Z') };
  const asClock = { now: () => new Date(clock.at), elapsedMs: () => performance.now() };
  return { store, clock, asClock, client: createClient({ store, clock: asClock }) };
}

describe('client.cacheStatistics()', () => {
  it('counts misses, hits, stale caches and forced refreshes, with the latest age per target', async () => {
    const { store, clock, client } = await releasesBucket();
    expect(client.cacheStatistics()).toEqual({
      hits: 0,
      misses: 0,
      stale: 0,
      refreshed: 0,
      errors: 0,
      latest: [],
    });

    await client.getBucketStats('releases'); // no cache yet
    clock.at += 90_000;
    await client.getBucketStats('releases'); // served from it, 90 s old
    await store.put('releases', 'docs/new.txt', new TextEncoder().encode('new'));
    await client.getBucketStats('releases'); // the bucket moved on
    await client.getBucketStats('releases', { refreshCache: true });
    await client.getBucketStats('releases', { prefix: 'releases/app/', mode: 'detailed' });

    const statistics = client.cacheStatistics();
    expect(statistics).toMatchObject({ hits: 1, misses: 2, stale: 1, refreshed: 1, errors: 0 });
    expect(statistics.latest).toEqual([
      {
        bucket: 'releases',
        prefix: '',
        mode: 'quick',
        status: 'refreshed',
        ageSeconds: 0,
        at: '2026-12-01T10:01:30.000Z',
      },
      expect.objectContaining({ prefix: 'releases/app/', mode: 'detailed', status: 'miss' }),
    ]);
  });
});

describe('client.cachedStats()', () => {
  it('reads the cache as it is, with its age, in one GET and without a LIST', async () => {
    const { store, clock, asClock, client } = await releasesBucket();
    expect(await client.cachedStats('releases', { mode: 'quick' })).toBeUndefined();
    const computed = await client.getBucketStats('releases');
    await store.put('releases', 'docs/new.txt', new TextEncoder().encode('new'));
    clock.at += 30_000;

    let lists = 0;
    let gets = 0;
    const counting = createClient({
      store: {
        ...store,
        list: (bucket, options) => {
          lists++;
          return store.list(bucket, options);
        },
        get: (bucket, key, options) => {
          gets++;
          return store.get(bucket, key, options);
        },
      },
      clock: asClock,
    });
    const cached = await counting.cachedStats('releases', { mode: 'quick' });
    expect(cached).toMatchObject({
      key: '.deltaglider/stats_quick.json',
      computedAt: computed.cache.computedAt,
      ageSeconds: 30,
      stats: { objectCount: computed.objectCount, spaceSaved: computed.spaceSaved },
    });
    expect({ lists, gets }).toEqual({ lists: 0, gets: 1 });
    expect(await counting.cachedStats('releases', { mode: 'detailed' })).toBeUndefined();
  });
});
