import { AccessDeniedError, type ObjectStore, StoreUnavailableError } from '@deltaglider/core';
import { readBody } from '@deltaglider/core/adapter-kit';
import { createFaultyObjectStore, type StoreFault } from '@deltaglider/object-store-contract';
import { loadFixtureBucket, readForeignStatsCache } from '@deltaglider/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import {
  createRecordingLogger,
  memoryBackend,
  type StatsBackend,
  s3Backend,
} from './test-support/stats-backends.js';

// Cache trouble is never fatal: each case logs exactly one warning and returns freshly
// computed, exact stats. Faults the servers cannot produce on demand are injected around the
// real store.

const CACHE_KEY = '.deltaglider/stats_quick.json';
const encoder = new TextEncoder();

const validCache = (overrides: Record<string, unknown>) =>
  JSON.stringify({
    version: '1.0',
    mode: 'quick',
    computed_at: '2026-01-01T00:00:00Z',
    validation: { object_count: 1, compressed_size: 1, fingerprint: 'v1:0' },
    stats: {
      bucket: 'b',
      object_count: 1,
      total_size: 1,
      compressed_size: 1,
      space_saved: 0,
      average_compression_ratio: 0,
      delta_objects: 0,
      direct_objects: 1,
    },
    ...overrides,
  });

interface TroubleCase {
  readonly name: string;
  /** Cache bytes planted before the call. */
  readonly planted?: string | Uint8Array;
  readonly faults?: readonly StoreFault[];
  readonly warning: RegExp;
  readonly written: boolean;
}

const troubleCases: TroubleCase[] = [
  {
    name: 'the cache GET fails',
    faults: [
      {
        operation: 'get',
        keyPrefix: CACHE_KEY,
        fail: () => new StoreUnavailableError('connection reset'),
      },
    ],
    warning: /ignored: could not read it: connection reset/,
    written: true,
  },
  {
    name: 'reading the cache is denied',
    faults: [
      { operation: 'get', keyPrefix: CACHE_KEY, fail: () => new AccessDeniedError('b', CACHE_KEY) },
    ],
    warning: /ignored: could not read it: access denied/,
    written: true,
  },
  {
    name: 'the cache is corrupted JSON',
    planted: '{"version": "1.0", "mode": ',
    warning: /not valid JSON/,
    written: true,
  },
  {
    name: 'the cache is valid JSON of the wrong shape',
    planted: validCache({ stats: { bucket: 'b', object_count: -3 } }),
    warning: /does not have the cache's shape \(stats\.object_count/,
    written: true,
  },
  {
    name: 'the cache has hostile keys and NaN-like numbers',
    planted:
      '{"__proto__": {"polluted": true}, "version": "1.0", "mode": "quick", "computed_at": "x", "validation": {"object_count": 1e400}}',
    warning: /does not have the cache's shape/,
    written: true,
  },
  {
    name: 'the cache has another version',
    planted: validCache({ version: '2.0' }),
    warning: /cache format "2.0"/,
    written: true,
  },
  {
    name: 'the cache holds another mode',
    planted: validCache({ mode: 'detailed' }),
    warning: /holds "detailed" stats/,
    written: true,
  },
  {
    name: 'the cache object is oversized',
    planted: new Uint8Array(5 * 1024 * 1024).fill(0x20),
    warning: /over the 4194304-byte limit/,
    written: true,
  },
  {
    name: 'the cache write is refused',
    faults: [
      { operation: 'put', keyPrefix: CACHE_KEY, fail: () => new AccessDeniedError('b', CACHE_KEY) },
    ],
    warning: /not written: access denied/,
    written: false,
  },
  {
    name: 'another process writes the cache between our read and our write',
    faults: [
      {
        operation: 'put',
        keyPrefix: CACHE_KEY,
        times: 1,
        before: async (inner: ObjectStore) => {
          await inner.put(bucketUnderTest, CACHE_KEY, encoder.encode(validCache({})));
        },
      },
    ],
    warning: /another process updated it first; kept theirs/,
    written: false,
  },
];

let bucketUnderTest = '';

describe.each([memoryBackend(), s3Backend()])('cache trouble on $name', (backend: StatsBackend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it.each(troubleCases)('warns once and computes when $name', async (trouble) => {
    const { store, bucket } = await backend.newBucket();
    bucketUnderTest = bucket;
    await loadFixtureBucket(store, bucket);
    if (trouble.planted !== undefined) {
      const body =
        typeof trouble.planted === 'string' ? encoder.encode(trouble.planted) : trouble.planted;
      await store.put(bucket, CACHE_KEY, body);
    }
    const logger = createRecordingLogger();
    const client = createClient({
      store: createFaultyObjectStore(store, trouble.faults ?? []),
      logger,
    });

    const stats = await client.getBucketStats(bucket);

    expect(stats).toMatchObject({ objectCount: 13, compressedSize: 202779, deltaObjects: 11 });
    expect(stats.cache.written).toBe(trouble.written);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(trouble.warning);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Counted as cache trouble, but for the lost race, which is no trouble: theirs is as good.
    const lostRace = trouble.name.startsWith('another process');
    expect(stats.cache.trouble !== undefined).toBe(!lostRace);
    expect(client.cacheStatistics()).toMatchObject({ errors: lostRace ? 0 : 1 });
    if (trouble.written) {
      // The damaged cache was replaced: the next call is a clean hit.
      const again = await createClient({ store, logger: createRecordingLogger() }).getBucketStats(
        bucket,
      );
      expect(again.cache.status).toBe('hit');
    }
  });

  it('does not read a 50 MB cache object: its size is checked first', async () => {
    const { store, bucket } = await backend.newBucket();
    await loadFixtureBucket(store, bucket);
    await store.put(bucket, CACHE_KEY, new Uint8Array(50 * 1024 * 1024).fill(0x20));
    let bytesRead = 0;
    const watching: ObjectStore = {
      ...store,
      async get(b, key, options) {
        const stored = await store.get(b, key, options);
        if (!stored) return stored;
        const body = stored.body;
        return {
          ...stored,
          body: {
            async *[Symbol.asyncIterator]() {
              for await (const chunk of body) {
                bytesRead += chunk.byteLength;
                yield chunk;
              }
            },
          },
        };
      },
    };
    const logger = createRecordingLogger();
    const stats = await createClient({ store: watching, logger }).getBucketStats(bucket);
    expect(stats.objectCount).toBe(13);
    expect(bytesRead).toBe(0);
    expect(logger.warnings).toEqual([
      expect.stringMatching(/52428800 bytes, over the 4194304-byte limit/),
    ]);
  }, 60_000);

  it('warns about nothing when there is no cache yet', async () => {
    const { store, bucket } = await backend.newBucket();
    await loadFixtureBucket(store, bucket);
    const logger = createRecordingLogger();
    const stats = await createClient({ store, logger }).getBucketStats(bucket);
    expect(stats.cache).toMatchObject({ status: 'miss', written: true });
    expect(logger.warnings).toEqual([]);
  });

  it.each([
    ['deltaglider-proxy-2.0', 'deltaglider_proxy'],
    ['python-1.0', 'the Python DeltaGlider'],
  ] as const)(
    "leaves %s's cache byte-identical and keeps ours beside it: a miss, then a hit",
    async (fixture, writer) => {
      const { store, bucket } = await backend.newBucket();
      await loadFixtureBucket(store, bucket);
      const theirs = await readForeignStatsCache(fixture);
      await store.put(bucket, CACHE_KEY, theirs, { contentType: 'application/json' });
      const logger = createRecordingLogger();
      const client = createClient({ store, logger });

      const first = await client.getBucketStats(bucket);
      const second = await client.getBucketStats(bucket);
      const refreshed = await client.getBucketStats(bucket, { refreshCache: true });

      const ours = '.deltaglider/stats_quick.deltaglider-ts.json';
      const foreign = { key: CACHE_KEY, writer };
      expect(first.cache).toMatchObject({ status: 'miss', key: ours, written: true, foreign });
      expect(second.cache).toMatchObject({ status: 'hit', key: ours, foreign });
      expect(refreshed.cache).toMatchObject({ status: 'refreshed', key: ours, written: true });
      expect(second.objectCount).toBe(13);
      expect(logger.warnings).toEqual([]);
      const after = await store.get(bucket, CACHE_KEY);
      expect(Buffer.from(await readBody(after!.body)).equals(Buffer.from(theirs))).toBe(true);

      const statuses = await client.cacheStatus(bucket);
      expect(statuses.find((status) => status.mode === 'quick')).toMatchObject({
        key: ours,
        state: 'fresh',
        foreign,
      });
      expect(await client.clearCache(bucket, { mode: 'quick' })).toEqual({
        deleted: [ours],
        kept: [foreign],
      });
      const kept = await store.get(bucket, CACHE_KEY);
      expect(Buffer.from(await readBody(kept!.body)).equals(Buffer.from(theirs))).toBe(true);
    },
  );

  it.each([
    [
      'total_size multiplied by 10',
      (stats: Record<string, number>) => ({ total_size: stats.total_size! * 10 }),
    ],
    [
      'space_saved edited',
      (stats: Record<string, number>) => ({ space_saved: stats.space_saved! + 1 }),
    ],
    [
      'object_count edited',
      (stats: Record<string, number>) => ({ object_count: stats.object_count! + 5 }),
    ],
  ])(
    'rejects a cache whose fingerprint matches but whose numbers were edited: %s',
    async (_name, edit) => {
      const { store, bucket } = await backend.newBucket();
      await loadFixtureBucket(store, bucket);
      const client = createClient({ store });
      const honest = await client.getBucketStats(bucket);
      const stored = await store.get(bucket, CACHE_KEY);
      const cache = JSON.parse(new TextDecoder().decode(await readBody(stored!.body)));
      cache.stats = { ...cache.stats, ...edit(cache.stats) };
      await store.put(bucket, CACHE_KEY, encoder.encode(JSON.stringify(cache)));

      const logger = createRecordingLogger();
      const served = await createClient({ store, logger }).getBucketStats(bucket);
      expect(served.cache.status).toBe('stale');
      expect(logger.warnings).toEqual([
        expect.stringMatching(
          /^stats cache \.deltaglider\/stats_quick\.json ignored: its numbers do not add up: /,
        ),
      ]);
      const { cache: _honestCache, ...honestStats } = honest;
      const { cache: _servedCache, ...servedStats } = served;
      expect(servedStats).toEqual(honestStats);
    },
  );

  it('recomputes a cache older than maxAgeSeconds', async () => {
    const { store, bucket } = await backend.newBucket();
    await loadFixtureBucket(store, bucket);
    let now = Date.parse('2026-11-23T12:00:00Z');
    const clock = { now: () => new Date(now), elapsedMs: () => performance.now() };
    const client = createClient({ store, clock });
    await client.getBucketStats(bucket);
    now += 120_000;
    const young = await client.getBucketStats(bucket, { maxAgeSeconds: 300 });
    expect(young.cache).toMatchObject({ status: 'hit', ageSeconds: 120 });
    const old = await client.getBucketStats(bucket, { maxAgeSeconds: 60 });
    expect(old.cache.status).toBe('stale');
  });
});
