import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import { startFaultProxy, startTestS3Server } from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import {
  createRecordingLogger,
  memoryBackend,
  type StatsBackend,
  s3Backend,
} from './test-support/stats-backends.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

// `cache status` answers from one listing and one GET per mode: the GET already tells the size.

describe.each([memoryBackend(), s3Backend()])('cache status on $name', (backend: StatsBackend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it('costs one LIST and one GET per mode, and reports each cache fresh with its size', async () => {
    const { store, bucket } = await backend.newBucket();
    await store.put(bucket, 'app/reference.bin', new Uint8Array(100));
    for (const version of [1, 2, 3]) {
      await store.put(bucket, `app/v${version}.zip.delta`, new Uint8Array(10), {
        metadata: { 'dg-file-size': '100' },
      });
    }
    const client = createClient({ store });
    for (const mode of ['quick', 'sampled', 'detailed'] as const)
      await client.getBucketStats(bucket, { mode });

    store.reset();
    const statuses = await client.cacheStatus(bucket);
    expect(store.counts()).toEqual({ list: 1, get: 3 });
    for (const status of statuses) {
      const stored = await store.head(bucket, status.key);
      expect(status).toMatchObject({ state: 'fresh', sizeBytes: stored?.size });
    }
  });
});

describe('a prefix written with or without its trailing slash', () => {
  it('names the same cache for stats, cache status and cache clear', async () => {
    const backend = memoryBackend();
    await backend.start();
    const { store, bucket } = await backend.newBucket();
    await store.put(bucket, 'releases/reference.bin', new Uint8Array(100));
    await store.put(bucket, 'releases/v1.zip.delta', new Uint8Array(10));
    const client = createClient({ store });
    await client.getBucketStats(bucket, { prefix: 'releases' });

    for (const prefix of ['releases', 'releases/', '/releases/']) {
      const quick = (await client.cacheStatus(bucket, { prefix })).find(
        (status) => status.mode === 'quick',
      );
      expect(quick?.state, `cache status of prefix ${JSON.stringify(prefix)}`).toBe('fresh');
    }
    expect((await client.clearCache(bucket, { prefix: 'releases' })).deleted).toHaveLength(1);
    expect((await client.getBucketStats(bucket, { prefix: 'releases/' })).cache.status).toBe(
      'miss',
    );
    await backend.stop();
  });
});

describe('a cache written by a machine whose clock runs fast', () => {
  it('is recomputed under --max-age, and cache status says why', async () => {
    const backend = memoryBackend();
    await backend.start();
    const { store, bucket } = await backend.newBucket();
    await store.put(bucket, 'app/reference.bin', new Uint8Array(100));
    await store.put(bucket, 'app/v1.zip.delta', new Uint8Array(10));
    const hourAhead = {
      now: () => new Date(Date.now() + 3_600_000),
      elapsedMs: () => performance.now(),
    };
    await createClient({ store, clock: hourAhead }).getBucketStats(bucket);

    const client = createClient({ store });
    const quick = (await client.cacheStatus(bucket)).find((status) => status.mode === 'quick');
    expect(quick).toMatchObject({
      state: 'fresh',
      reason: expect.stringMatching(/^computed_at is 36\d\d s in the future \(clock skew\)/),
    });
    expect((await client.getBucketStats(bucket)).cache.status).toBe('hit');
    const bounded = await client.getBucketStats(bucket, { maxAgeSeconds: 86_400 });
    expect(bounded.cache.status).toBe('stale');
    await backend.stop();
  });
});

describe('a bucket this user may not write', () => {
  it('is not asked again in the same process (a --watch loop): one warning, then local caches', async () => {
    const server = await startTestS3Server();
    const proxy = await startFaultProxy(server, [
      { type: 'PUT', path: /\/\.deltaglider\//, fault: 'access-denied' },
    ]);
    const cacheDirectory = await mkdtemp(join(tmpdir(), 'dg-denied-'));
    try {
      await server.createBucket('denied');
      const writer = createS3ObjectStore({ endpoint: server.endpoint, credentials });
      const logger = createRecordingLogger();
      const client = createClient({
        endpoint: proxy.endpoint,
        s3: { credentials },
        cacheDirectory,
        logger,
      });
      for (let round = 0; round < 3; round++) {
        await writer.put('denied', `file-${round}.txt`, new Uint8Array(round + 1));
        const stats = await client.getBucketStats('denied');
        expect(stats.cache).toMatchObject({
          status: round === 0 ? 'miss' : 'stale',
          location: 'local',
        });
        expect(stats.objectCount).toBe(round + 1);
      }
      expect(logger.warnings).toHaveLength(1);
      expect(proxy.requestCounts().PUT).toBe(1);
    } finally {
      await proxy.stop();
      await server.stop();
      await rm(cacheDirectory, { recursive: true, force: true });
    }
  });
});
