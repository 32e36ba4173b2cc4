import type { ObjectStore } from '@deltaglider/core';
import { startFaultProxy, startTestS3Server } from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import {
  createRecordingLogger,
  memoryBackend,
  type StatsBackend,
  s3Backend,
} from './test-support/stats-backends.js';

// A cache remembers where the listing splits into runs of under 1000 keys; the next call lists those
// ranges in parallel, and must still see every key exactly once however the bucket changed.

const key = (index: number) => `files/${String(index).padStart(5, '0')}.txt`;

/** `2 * half` keys: half in 30 directories, half in one flat directory. */
function mixedNames(half = 3000): string[] {
  return [
    ...Array.from({ length: half }, (_, index) => `apps/app-${index % 30}/v${index}.zip`),
    ...Array.from({ length: half }, (_, index) => `flat/${String(index).padStart(5, '0')}.bin`),
  ];
}

type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;

/**
 * A bucket seeded with `names` on the S3 test server, behind the fault proxy, and a client
 * (recording its log) that talks through the proxy; both stop when `use` ends.
 */
async function withProxiedBucket(
  bucket: string,
  names: readonly string[],
  use: (
    client: ReturnType<typeof createClient>,
    proxy: FaultProxy,
    logger: ReturnType<typeof createRecordingLogger>,
  ) => Promise<void>,
): Promise<void> {
  const server = await startTestS3Server();
  const proxy = await startFaultProxy(server);
  try {
    await server.createBucket(bucket);
    server.seedObjects(
      bucket,
      names.map((name, index) => ({ key: name, body: new Uint8Array([index % 251]) })),
    );
    const logger = createRecordingLogger();
    const client = createClient({
      endpoint: proxy.endpoint,
      s3: { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
      logger,
      localStatsCache: false,
    });
    await use(client, proxy, logger);
  } finally {
    await proxy.stop();
    await server.stop();
  }
}

/** One-byte objects under `names`, a hundred uploads at a time. */
async function putAll(store: ObjectStore, bucket: string, names: readonly string[]) {
  for (let start = 0; start < names.length; start += 100) {
    await Promise.all(
      names.slice(start, start + 100).map((name) => store.put(bucket, name, new Uint8Array([1]))),
    );
  }
}

describe.each([memoryBackend(), s3Backend()])(
  'range-parallel listing on $name',
  (backend: StatsBackend) => {
    beforeAll(() => backend.start());
    afterAll(() => backend.stop());

    it('lists a warm bucket by ranges with the same page count, and stays exact after changes', async () => {
      const { store, bucket } = await backend.newBucket();
      const keys = Array.from({ length: 3500 }, (_, index) => key(index * 2));
      await putAll(store, bucket, keys);
      const client = createClient({ store });
      store.reset();
      await client.getBucketStats(bucket);
      // GET and PUT: the stats cache, and the day's history point.
      expect(store.counts()).toMatchObject({ list: 4, get: 2, put: 2 });
      expect(
        store.calls.filter((call) => call.operation === 'list' && call.startAfter !== undefined),
      ).toEqual([]);

      store.reset();
      const warm = await client.getBucketStats(bucket);
      expect(warm.cache.status).toBe('hit');
      expect(store.counts()).toEqual({ list: 4, get: 1 });
      const rangeStarts = store.calls.flatMap((call) =>
        call.startAfter === undefined ? [] : [call.startAfter],
      );
      // Three cut points; on the in-memory store (all microtasks) the first range may finish
      // pages before the cache arrives, and ranges it already covered are dropped: how many
      // depends on promise scheduling alone. Same 4 LISTs either way.
      expect(rangeStarts.length).toBeGreaterThanOrEqual(backend.name === 'memory' ? 1 : 3);
      expect(rangeStarts.length).toBeLessThanOrEqual(3);
      expect(rangeStarts.every((start) => keys.includes(start))).toBe(true);

      // Odd keys land inside existing ranges; some even keys, boundaries included, go away.
      for (const index of [1, 1001, 1999, 2001, 5001, 7001])
        await store.put(bucket, key(index), new Uint8Array([2]));
      for (const name of [keys[0]!, keys[999]!, keys[2500]!]) await store.delete(bucket, name);
      const changed = await client.getBucketStats(bucket);
      const uncached = await client.getBucketStats(bucket, { useCache: false });
      expect(changed.cache.status).toBe('stale');
      expect(changed.objectCount).toBe(3500 + 6 - 3);
      expect(changed.compressedSize).toBe(uncached.compressedSize);
      expect((await client.getBucketStats(bucket)).cache.status).toBe('hit');
    }, 120_000);

    it('lists a cold bucket in ranges past four pages, with the numbers sequential paging gives', async () => {
      const { store, bucket } = await backend.newBucket();
      await putAll(store, bucket, mixedNames());
      const client = createClient({ store });
      const sequential = await client.getBucketStats(bucket, {
        useCache: false,
        listStrategy: 'sequential',
      });
      store.reset();
      const parallel = await client.getBucketStats(bucket, { useCache: false });
      expect(parallel).toEqual({ ...sequential, cache: parallel.cache });
      const lists = store.calls.filter((call) => call.operation === 'list');
      // Six pages sequentially; found cut points, then ranges listed from them.
      expect(lists.some((call) => call.startAfter !== undefined)).toBe(true);
      expect(lists.length).toBeGreaterThan(6);
    }, 120_000);
  },
);

describe('a server that ignores StartAfter', () => {
  it('is detected on a warm call, which pages sequentially instead and stays exact', async () => {
    const names = Array.from({ length: 3500 }, (_, index) => key(index));
    await withProxiedBucket('unranged', names, async (client, proxy, logger) => {
      const cold = await client.getBucketStats('unranged');
      expect(cold.objectCount).toBe(3500);

      proxy.setRules([{ type: 'LIST', fault: 'ignore-start-after' }]);
      // --list-strategy ranged fails loudly instead of guessing.
      await expect(client.getBucketStats('unranged', { listStrategy: 'ranged' })).rejects.toThrow(
        /does not list from StartAfter in key order/,
      );
      const warm = await client.getBucketStats('unranged');
      expect(warm).toMatchObject({ objectCount: 3500, compressedSize: 3500 });
      expect(warm.cache.status).toBe('hit');
      expect(logger.infos.join('\n')).toMatch(
        /does not list from StartAfter in key order: listing sequentially/,
      );
      // Remembered in the cache: the next call sends no StartAfter at all.
      const afterFallback = proxy.seenRequests().length;
      expect((await client.getBucketStats('unranged')).cache.status).toBe('hit');
      const startAfters = proxy
        .seenRequests()
        .slice(afterFallback)
        .filter((request) => request.url.includes('start-after'));
      expect(startAfters).toEqual([]);

      // --list-strategy sequential never sends StartAfter.
      const before = proxy.seenRequests().length;
      const sequential = await client.getBucketStats('unranged', { listStrategy: 'sequential' });
      expect(sequential.objectCount).toBe(3500);
      expect(
        proxy
          .seenRequests()
          .slice(before)
          .some((request) => request.url.includes('start-after')),
      ).toBe(false);
    });
  }, 60_000);

  it('is detected on a cold call that found cut points, which pages sequentially and stays exact', async () => {
    // Forty pages: ranges start long before the first one could list everything.
    await withProxiedBucket('cold-unranged', mixedNames(20_000), async (client, proxy, logger) => {
      const truth = await client.getBucketStats('cold-unranged', {
        useCache: false,
        listStrategy: 'sequential',
      });
      proxy.setRules([{ type: 'LIST', fault: 'ignore-start-after' }]);
      await expect(
        client.getBucketStats('cold-unranged', { useCache: false, listStrategy: 'ranged' }),
      ).rejects.toThrow(/does not list from StartAfter in key order/);
      const cold = await client.getBucketStats('cold-unranged', { useCache: false });
      expect(cold).toEqual({ ...truth, cache: cold.cache });
      expect(logger.infos.join('\n')).toMatch(/listing sequentially/);
    });
  }, 120_000);
});

describe('a server that ignores delimiters', () => {
  it('still lists a cold bucket in parallel, exactly: no directories, so the bucket is tiled', async () => {
    await withProxiedBucket('no-delimiter', mixedNames(), async (client, proxy) => {
      const truth = await client.getBucketStats('no-delimiter', {
        useCache: false,
        listStrategy: 'sequential',
      });
      proxy.setRules([{ type: 'LIST', fault: 'ignore-delimiter' }]);
      const before = proxy.seenRequests().length;
      const cold = await client.getBucketStats('no-delimiter', { useCache: false });
      expect(cold).toEqual({ ...truth, cache: cold.cache });
      const lists = proxy.seenRequests().slice(before);
      expect(lists.some((request) => request.url.includes('start-after'))).toBe(true);
    });
  }, 120_000);
});
