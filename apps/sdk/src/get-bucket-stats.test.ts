import { BucketNotFoundError, type ObjectStore, StatsOptionError } from '@deltaglider/core';
import { readBody } from '@deltaglider/core/adapter-kit';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import {
  type BackendBucket,
  createRecordingLogger,
  fsBackend,
  memoryBackend,
  type StatsBackend,
  s3Backend,
} from './test-support/stats-backends.js';

// The acceptance cases of bucket stats, run on the in-memory store, the real S3 server and a
// local directory. Request counts are exact: each port call is one request.

const encoder = new TextEncoder();
const FIXTURE_EXACT = {
  object_count: 13,
  delta_objects: 11,
  direct_objects: 2,
  total_size: 873433,
  compressed_size: 202779,
  space_saved: 670654,
};

const isCacheKey = (key: string | undefined) => key?.startsWith('.deltaglider/') ?? false;

describe.each([memoryBackend(), s3Backend(), fsBackend()])(
  'bucket stats on $name',
  (backend: StatsBackend) => {
    beforeAll(() => backend.start());
    afterAll(() => backend.stop());

    async function fixtureBucket(): Promise<BackendBucket> {
      const target = await backend.newBucket();
      await loadFixtureBucket(target.store, target.bucket);
      target.store.reset();
      return target;
    }

    const clientFor = (store: ObjectStore, logger = createRecordingLogger()) => ({
      logger,
      client: createClient({ store, logger }),
    });

    it('counts the Python fixture bucket exactly in detailed mode', async () => {
      const { store, bucket } = await fixtureBucket();
      const { client, logger } = clientFor(store);
      const stats = await client.getBucketStats(bucket, { mode: 'detailed' });
      expect(stats).toMatchObject({
        objectCount: 13,
        deltaObjects: 11,
        directObjects: 2,
        totalSize: 873433,
        compressedSize: 202779,
        spaceSaved: 670654,
        referenceObjects: 3,
        totalSizeEstimated: false,
        incomplete: false,
        orphanedReferences: [],
        cache: { status: 'miss', written: true },
      });
      expect(stats.averageCompressionRatio).toBeCloseTo(670654 / 873433, 10);
      // LIST: the bucket, and its listing facts (none here). GET and PUT: the stats cache, the
      // known-originals companion (absent, then written) and the day's history point.
      expect(store.counts()).toEqual({ list: 2, get: 3, head: 11, put: 3 });
      expect(logger.warnings).toEqual([]);
    });

    it('estimates quick stats from the listing alone: same counts, flagged, within 5 %', async () => {
      const { store, bucket } = await fixtureBucket();
      const stats = await clientFor(store).client.getBucketStats(bucket);
      expect(stats).toMatchObject({
        mode: 'quick',
        objectCount: 13,
        deltaObjects: 11,
        directObjects: 2,
        compressedSize: 202779,
        totalSizeEstimated: true,
        estimatedDeltas: 11,
      });
      expect(Math.abs(stats.totalSize - 873433) / 873433).toBeLessThan(0.05);
      expect(stats.averageCompressionRatio).toBeGreaterThan(0.7);
      expect(store.counts().head ?? 0).toBe(0);
    });

    it('samples two representative deltas per deltaspace, never the zero-diff one', async () => {
      const { store, bucket } = await fixtureBucket();
      const stats = await clientFor(store).client.getBucketStats(bucket, { mode: 'sampled' });
      const headed = store.calls
        .filter((call) => call.operation === 'head')
        .map((call) => call.key);
      expect(headed.sort()).toEqual([
        'releases/app/app-1.0.2.zip.delta',
        'releases/app/app-1.0.5.zip.delta',
        'releases/lib/lib-2.0.1.jar.delta',
        'releases/lib/lib-2.0.2.jar.delta',
        'tool-0.9.1.tar.gz.delta',
      ]);
      expect(stats).toMatchObject({
        objectCount: 13,
        compressedSize: 202779,
        totalSizeEstimated: true,
      });
      expect(Math.abs(stats.totalSize - 873433) / 873433).toBeLessThan(0.01);
    });

    it('answers an unchanged bucket from the cache with the LIST pages and exactly one GET', async () => {
      const { store, bucket, server } = await fixtureBucket();
      const { client } = clientFor(store);
      const first = await client.getBucketStats(bucket, { mode: 'detailed' });
      store.reset();
      server?.resetRequests();

      const second = await client.getBucketStats(bucket, { mode: 'detailed' });
      expect(store.counts()).toEqual({ list: 1, get: 1 });
      if (server) expect(server.requestCounts()).toEqual({ LIST: 1, GET: 1 });
      expect(second.cache).toMatchObject({
        status: 'hit',
        written: false,
        computedAt: first.cache.computedAt,
      });
      const { cache: _firstCache, ...firstStats } = first;
      const { cache: _secondCache, ...secondStats } = second;
      expect(secondStats).toEqual(firstStats);
    });

    // Only what changed is HEADed again: known originals are reused while ETags match.
    const changes: [string, number, (store: ObjectStore, bucket: string) => Promise<void>][] = [
      [
        'a delta is added',
        1,
        async (store, bucket) => {
          await store.put(bucket, 'releases/app/app-1.0.6.zip.delta', encoder.encode('new delta'), {
            metadata: { 'dg-file-size': '105048' },
          });
        },
      ],
      [
        'an object is deleted',
        0,
        async (store, bucket) => {
          await store.delete(bucket, 'docs/readme.txt');
        },
      ],
      [
        'an object is overwritten with the same size but other bytes',
        0,
        async (store, bucket) => {
          const stored = await store.get(bucket, 'docs/readme.txt');
          const bytes = stored ? await readBody(stored.body) : new Uint8Array();
          bytes[0] = (bytes[0] ?? 0) ^ 0xff;
          await store.put(bucket, 'docs/readme.txt', bytes);
        },
      ],
      [
        'a delta is overwritten with the same size but other bytes',
        1,
        async (store, bucket) => {
          const key = 'releases/app/app-1.0.3.zip.delta';
          const stored = await store.get(bucket, key);
          const bytes = stored ? await readBody(stored.body) : new Uint8Array();
          bytes[0] = (bytes[0] ?? 0) ^ 0xff;
          await store.put(bucket, key, bytes, {
            metadata: { ...stored!.metadata, 'dg-file-size': '101677' },
          });
        },
      ],
    ];
    it.each(changes)(
      'recomputes after %s, with %i HEAD',
      async (_change, changedDeltas, change) => {
        const { store, bucket } = await fixtureBucket();
        const { client, logger } = clientFor(store);
        const before = await client.getBucketStats(bucket, { mode: 'detailed' });
        await change(store, bucket);
        store.reset();
        const after = await client.getBucketStats(bucket, { mode: 'detailed' });
        expect(after.cache).toMatchObject({ status: 'stale', written: true });
        expect(store.counts().head ?? 0).toBe(changedDeltas);
        // The companion is rewritten only when it learnt something; the second LIST reads the
        // listing facts (none here); one GET more reads the day's history point, written again
        // only when the numbers moved.
        const moved =
          after.totalSize !== before.totalSize ||
          after.compressedSize !== before.compressedSize ||
          after.objectCount !== before.objectCount;
        expect(store.counts()).toMatchObject({
          list: 2,
          get: 3,
          put: 1 + (changedDeltas > 0 ? 1 : 0) + (moved ? 1 : 0),
        });
        const fresh = await createClient({ store }).getBucketStats(bucket, {
          mode: 'detailed',
          useCache: false,
        });
        expect(after.totalSize).toBe(fresh.totalSize);
        expect(after.totalSize).not.toBe(changedDeltas > 0 ? before.totalSize : -1);
        expect(logger.warnings).toEqual([]);
        expect((await client.getBucketStats(bucket, { mode: 'detailed' })).cache.status).toBe(
          'hit',
        );
      },
    );

    it('treats a damaged known-originals companion as a warning: HEADs everything, then rewrites it', async () => {
      const { store, bucket } = await fixtureBucket();
      await store.put(
        bucket,
        '.deltaglider/originals.json',
        encoder.encode('{"version": 1, "entries": [["k"'),
      );
      const { client, logger } = clientFor(store);
      const stats = await client.getBucketStats(bucket, { mode: 'detailed' });
      expect(stats).toMatchObject({ totalSize: 873433, incomplete: false });
      expect(store.counts().head).toBe(11);
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]).toMatch(/originals\.json ignored/);
      store.reset();
      const sampled = await client.getBucketStats(bucket, { mode: 'sampled' });
      expect(sampled.totalSize).toBeGreaterThan(0);
      expect(store.counts().head ?? 0).toBe(0);
    });

    it('asks S3 again when a known-originals entry claims a file smaller than its delta', async () => {
      const { store, bucket } = await fixtureBucket();
      const { client } = clientFor(store);
      await client.getBucketStats(bucket, { mode: 'detailed' });
      const stored = await store.get(bucket, '.deltaglider/originals.json');
      const companion = JSON.parse(new TextDecoder().decode(await readBody(stored!.body)));
      const poisoned = companion.entries.find(([key]: [string]) => key.includes('app-1.0.5'));
      poisoned[2] = 1;
      await store.put(
        bucket,
        '.deltaglider/originals.json',
        encoder.encode(JSON.stringify(companion)),
      );

      const { client: again, logger } = clientFor(store);
      await again.clearCache(bucket, { mode: 'detailed' }); // recompute, from the companion
      store.reset();
      const stats = await again.getBucketStats(bucket, { mode: 'detailed' });
      expect(stats).toMatchObject({ totalSize: 873433, incomplete: false });
      expect(store.counts().head).toBe(1);
      expect(logger.warnings).toEqual([
        expect.stringMatching(
          /originals\.json: the entry for releases\/app\/app-1\.0\.5\.zip\.delta says 1 bytes, less than its \d+-byte delta; ignored/,
        ),
      ]);
    });

    it('keeps one cache per mode: writing sampled never invalidates quick, and caches are never counted', async () => {
      const { store, bucket } = await fixtureBucket();
      const { client } = clientFor(store);
      const quick = await client.getBucketStats(bucket);
      await client.getBucketStats(bucket, { mode: 'sampled' });
      await client.getBucketStats(bucket, { mode: 'detailed' });
      const quickAgain = await client.getBucketStats(bucket);
      expect(quickAgain.cache.status).toBe('hit');
      expect(quickAgain.objectCount).toBe(quick.objectCount);
      expect(quickAgain.compressedSize).toBe(202779);
      const listed = await store.list(bucket, { prefix: '.deltaglider/' });
      expect(listed.objects.map((object) => object.key)).toEqual([
        '.deltaglider/history.deltaglider-ts.json',
        '.deltaglider/originals.json',
        '.deltaglider/stats_detailed.json',
        '.deltaglider/stats_quick.json',
        '.deltaglider/stats_sampled.json',
      ]);
    });

    it('writes the seed cache format with our validation fields', async () => {
      const { store, bucket } = await fixtureBucket();
      await clientFor(store).client.getBucketStats(bucket, { mode: 'detailed' });
      const stored = await store.get(bucket, '.deltaglider/stats_detailed.json');
      const cache = JSON.parse(new TextDecoder().decode(await readBody(stored!.body)));
      expect(cache).toMatchObject({
        version: '1.0',
        mode: 'detailed',
        validation: { object_count: 16, compressed_size: 202779, prefix: '' },
        stats: { bucket, ...FIXTURE_EXACT },
      });
      expect(cache.validation.fingerprint).toMatch(/^v3:[0-9a-f]{32}$/);
      expect(Date.parse(cache.computed_at)).not.toBeNaN();
      expect(stored?.contentType).toBe('application/json');
    });

    it('recomputes and rewrites with refreshCache; touches nothing under .deltaglider/ without the cache', async () => {
      const { store, bucket } = await fixtureBucket();
      const { client } = clientFor(store);
      await client.getBucketStats(bucket);
      store.reset();
      const refreshed = await client.getBucketStats(bucket, { refreshCache: true });
      expect(refreshed.cache).toMatchObject({ status: 'refreshed', written: true });
      // One GET says where our cache lives (beside another tool's?) and which version the PUT
      // replaces; its numbers are not used. Then the day's history point is read: it already
      // holds these numbers, so it is not written again.
      expect(
        store.calls
          .filter((call) => isCacheKey(call.key))
          .map((call) => [call.operation, call.key]),
      ).toEqual([
        ['get', '.deltaglider/stats_quick.json'],
        ['put', '.deltaglider/stats_quick.json'],
        ['get', '.deltaglider/history.deltaglider-ts.json'],
      ]);

      store.reset();
      const uncached = await client.getBucketStats(bucket, { mode: 'sampled', useCache: false });
      expect(uncached.cache).toMatchObject({ status: 'disabled', written: false });
      expect(store.calls.filter((call) => isCacheKey(call.key))).toEqual([]);
      expect(await store.head(bucket, '.deltaglider/stats_sampled.json')).toBeNull();
    });

    it('leaves a reference whose deltaspace holds no delta out of compressed_size, and reports it', async () => {
      const { store, bucket } = await backend.newBucket();
      await store.put(bucket, 'old/reference.bin', new Uint8Array(4000));
      await store.put(bucket, 'live/reference.bin', new Uint8Array(1000));
      await store.put(bucket, 'live/v2.zip.delta', new Uint8Array(10), {
        metadata: { 'dg-file-size': '1100' },
      });
      await store.put(bucket, 'old/notes.txt', new Uint8Array(5));
      const stats = await clientFor(store).client.getBucketStats(bucket, { mode: 'detailed' });
      expect(stats).toMatchObject({
        objectCount: 2,
        compressedSize: 1015,
        totalSize: 1105,
        orphanedReferences: [{ key: 'old/reference.bin', size: 4000 }],
        orphanedReferenceBytes: 4000,
      });
    });

    it('gives all zeros for an empty bucket and a typed error naming a missing one', async () => {
      const { store, bucket } = await backend.newBucket();
      const { client } = clientFor(store);
      expect(await client.getBucketStats(bucket)).toMatchObject({
        objectCount: 0,
        totalSize: 0,
        compressedSize: 0,
        spaceSaved: 0,
        averageCompressionRatio: 0,
      });
      await expect(client.getBucketStats('no-such-bucket-here')).rejects.toSatisfy(
        (error: unknown) =>
          BucketNotFoundError.isInstance(error) && error.bucket === 'no-such-bucket-here',
      );
    });

    it('matches the original tool: three direct files', async () => {
      const { store, bucket } = await backend.newBucket();
      for (const [name, size] of [
        ['a.txt', 1_000_000],
        ['b.pdf', 500_000],
        ['c.html', 250_000],
      ] as const) {
        await store.put(bucket, name, new Uint8Array(size));
      }
      expect(
        await clientFor(store).client.getBucketStats(bucket, { mode: 'detailed' }),
      ).toMatchObject({
        objectCount: 3,
        directObjects: 3,
        totalSize: 1_750_000,
        compressedSize: 1_750_000,
        spaceSaved: 0,
        averageCompressionRatio: 0,
      });
    });

    it('matches the original tool: one deltaspace with two deltas plus two direct files', async () => {
      const { store, bucket } = await backend.newBucket();
      await store.put(bucket, 'pro/reference.bin', new Uint8Array(20_000_000));
      await store.put(bucket, 'pro/v1.zip.delta', new Uint8Array(50_000), {
        metadata: { 'dg-file-size': '19500000' },
      });
      await store.put(bucket, 'pro/v2.zip.delta', new Uint8Array(60_000), {
        metadata: { file_size: '19600000' },
      });
      await store.put(bucket, 'docs/readme.pdf', new Uint8Array(500_000));
      await store.put(bucket, 'docs/manual.html', new Uint8Array(300_000));
      expect(
        await clientFor(store).client.getBucketStats(bucket, { mode: 'detailed' }),
      ).toMatchObject({
        objectCount: 4,
        totalSize: 39_900_000,
        compressedSize: 20_910_000,
        spaceSaved: 18_990_000,
        totalSizeEstimated: false,
      });
    }, 60_000);

    it('lists 1,500 direct files in exactly 2 LIST requests', async () => {
      const { store, bucket } = await backend.newBucket();
      const keys = Array.from(
        { length: 1500 },
        (_, index) => `files/${String(index).padStart(4, '0')}.txt`,
      );
      for (let start = 0; start < keys.length; start += 50) {
        await Promise.all(
          keys.slice(start, start + 50).map((key) => store.put(bucket, key, encoder.encode(key))),
        );
      }
      store.reset();
      const stats = await clientFor(store).client.getBucketStats(bucket, { useCache: false });
      expect(stats.objectCount).toBe(1500);
      expect(store.counts()).toEqual({ list: 2 });
    }, 60_000);

    it('covers only a prefix when asked, with its own cache', async () => {
      const { store, bucket } = await fixtureBucket();
      const { client } = clientFor(store);
      const app = await client.getBucketStats(bucket, { mode: 'detailed', prefix: 'releases/app' });
      expect(app).toMatchObject({
        prefix: 'releases/app/',
        objectCount: 7,
        deltaObjects: 6,
        directObjects: 1,
      });
      expect(app.totalSize).toBe(98304 + 99428 + 100552 + 101676 + 102800 + 103924 + 80);
      expect(app.cache.key).toMatch(/^\.deltaglider\/stats_detailed\.prefix-[0-9a-f]{16}\.json$/);
      expect(
        (await client.getBucketStats(bucket, { mode: 'detailed', prefix: 'releases/app/' })).cache
          .status,
      ).toBe('hit');
      expect((await client.getBucketStats(bucket, { mode: 'detailed' })).cache.status).toBe('miss');
    });

    it('breaks stats down by deltaspace when asked, sorted by bytes saved, and serves it from the cache', async () => {
      const { store, bucket } = await fixtureBucket();
      const { client } = clientFor(store);
      const plain = await client.getBucketStats(bucket, { mode: 'detailed' });
      expect(plain.deltaspaces).toBeUndefined();
      store.reset();
      const broken = await client.getBucketStats(bucket, { mode: 'detailed', byDeltaspace: true });
      expect(broken.cache.status).toBe('hit');
      expect(store.counts()).toEqual({ list: 1, get: 1 });
      expect(broken.deltaspaces).toEqual([
        expect.objectContaining({
          deltaspace: 'releases/app',
          deltaObjects: 6,
          referenceSize: 98304,
          originalSize: 606684,
          storedSize: 102747,
        }),
        expect.objectContaining({
          deltaspace: 'releases/lib',
          deltaObjects: 3,
          originalSize: 199980,
          storedSize: 66683,
        }),
        expect.objectContaining({
          deltaspace: '',
          deltaObjects: 2,
          originalSize: 66660,
          storedSize: 33240,
          orphaned: false,
        }),
      ]);
    });

    it('marks a capped listing and never caches it', async () => {
      const { store, bucket } = await fixtureBucket();
      const stats = await clientFor(store).client.getBucketStats(bucket, { maxObjects: 5 });
      expect(stats).toMatchObject({
        objectLimitReached: true,
        incomplete: true,
        cache: { written: false },
      });
      expect(await store.head(bucket, '.deltaglider/stats_quick.json')).toBeNull();
    });

    it('counts a delta without size metadata, reports it, and does not cache the result', async () => {
      const { store, bucket } = await fixtureBucket();
      await store.put(bucket, 'releases/lib/lib-2.0.3.jar.delta', new Uint8Array(700), {
        metadata: { 'dg-note': 'x' },
      });
      const stats = await clientFor(store).client.getBucketStats(bucket, { mode: 'detailed' });
      expect(stats).toMatchObject({
        objectCount: 14,
        deltasWithoutMetadata: 1,
        estimatedDeltas: 1,
        totalSizeEstimated: true,
        incomplete: true,
        cache: { written: false },
      });
      expect(await store.head(bucket, '.deltaglider/stats_detailed.json')).toBeNull();
    });
  },
);

describe('bucket stats options', () => {
  it('refuses an unknown mode and contradictory cache options with a typed error', async () => {
    const client = createClient({ store: (await memoryBackend().newBucket()).store });
    await expect(client.getBucketStats('b', { mode: 'exact' as 'quick' })).rejects.toSatisfy(
      (error: unknown) => StatsOptionError.isInstance(error) && error.option === 'mode',
    );
    await expect(
      client.getBucketStats('b', { useCache: false, refreshCache: true }),
    ).rejects.toSatisfy(StatsOptionError.isInstance);
  });

  it('stops when aborted and caches nothing', async () => {
    const { store, bucket } = await memoryBackend().newBucket();
    await loadFixtureBucket(store, bucket);
    const controller = new AbortController();
    controller.abort();
    await expect(
      createClient({ store }).getBucketStats(bucket, {
        mode: 'detailed',
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(await store.head(bucket, '.deltaglider/stats_detailed.json')).toBeNull();
  });
});
