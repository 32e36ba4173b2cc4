import { listInRanges } from '@deltaglider/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import { memoryBackend, type StatsBackend, s3Backend } from './test-support/stats-backends.js';

// A cache remembers where the listing splits into runs of under 1000 keys; the next call lists those
// ranges in parallel, and must still see every key exactly once however the bucket changed.

const key = (index: number) => `files/${String(index).padStart(5, '0')}.txt`;

describe.each([memoryBackend(), s3Backend()])(
  'range-parallel listing on $name',
  (backend: StatsBackend) => {
    beforeAll(() => backend.start());
    afterAll(() => backend.stop());

    it('lists a warm bucket by ranges with the same page count, and stays exact after changes', async () => {
      const { store, bucket } = await backend.newBucket();
      const keys = Array.from({ length: 3500 }, (_, index) => key(index * 2));
      for (let start = 0; start < keys.length; start += 100) {
        await Promise.all(
          keys
            .slice(start, start + 100)
            .map((name) => store.put(bucket, name, new Uint8Array([1]))),
        );
      }
      const client = createClient({ store });
      store.reset();
      await client.getBucketStats(bucket);
      expect(store.counts()).toMatchObject({ list: 4, get: 1, put: 1 });
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
      // Three cut points; on the in-memory store the first range may finish a page before the
      // cache arrives, and a range it already covered is dropped. Same 4 LISTs either way.
      expect(rangeStarts.length).toBeGreaterThanOrEqual(backend.name === 'memory' ? 2 : 3);
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
  },
);

describe('listInRanges', () => {
  it('yields every key once with boundaries anywhere, and ends cleanly when its reader stops', async () => {
    const { store, bucket } = await memoryBackend().newBucket();
    const keys = Array.from({ length: 5000 }, (_, index) => key(index));
    for (const name of keys) await store.put(bucket, name, new Uint8Array(0));
    for (const boundaries of [
      [],
      [keys[10]!],
      [keys[0]!, keys[999]!, 'files/03000.5', keys[4999]!, 'zzz'],
      ['a', 'b'],
    ]) {
      const seen: string[] = [];
      for await (const page of listInRanges(store, bucket, {
        boundaries: Promise.resolve(boundaries),
        concurrency: 3,
      })) {
        seen.push(...page.map((object) => object.key));
      }
      expect(seen.sort()).toEqual(keys);
    }
    let pages = 0;
    for await (const _page of listInRanges(store, bucket, {
      boundaries: Promise.resolve([keys[999]!, keys[1999]!]),
    })) {
      if (++pages === 1) break;
    }
    expect(pages).toBe(1);
  }, 60_000);
});
