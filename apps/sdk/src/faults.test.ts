import { AccessDeniedError, type ObjectStore } from '@deltaglider/core';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';
import { useS3TestBed } from '@deltaglider/test-s3-server';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import { createRecordingLogger } from './test-support/stats-backends.js';

// Faults a real S3 produces, injected by a proxy in front of the real test server: a number we
// print is right or clearly marked incomplete, and nothing wrong is ever cached.

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const bed = useS3TestBed();
let direct: ObjectStore;
let bucket: string;
let count = 0;

beforeAll(async () => {
  direct = createS3ObjectStore({ endpoint: bed.server.endpoint, credentials });
});
beforeEach(async () => {
  bucket = `faults-${++count}`;
  await bed.server.createBucket(bucket);
  await loadFixtureBucket(direct, bucket);
  bed.proxy.setRules([]);
});

const cacheKeys = async () =>
  (await direct.list(bucket, { prefix: '.deltaglider/' })).objects.map((o) => o.key);
const clientThroughProxy = (logger = createRecordingLogger()) => ({
  logger,
  client: createClient({ endpoint: bed.proxy.endpoint, s3: { credentials }, logger }),
});

describe('faults through a proxy in front of the S3 test server', () => {
  it('retries throttling and transient errors with backoff, and the result is exact', async () => {
    bed.proxy.setRules([
      { type: 'LIST', fault: 'slow-down', times: 2 },
      { type: 'HEAD', fault: 'slow-down', times: 3 },
      { type: 'HEAD', path: /app-1\.0\.2/, fault: 'internal-error', times: 1 },
      { type: 'HEAD', path: /lib-2\.0\.1/, fault: 'reset', times: 1 },
    ]);
    const { client, logger } = clientThroughProxy();
    const stats = await client.getBucketStats(bucket, { mode: 'detailed' });
    expect(stats).toMatchObject({
      totalSize: 873433,
      incomplete: false,
      failedHeads: 0,
      cache: { written: true },
    });
    expect(bed.proxy.faultCounts()).toMatchObject({
      'slow-down': 5,
      'internal-error': 1,
      reset: 1,
    });
    expect(logger.warnings).toEqual([]);
  });

  it('marks a HEAD that keeps failing: incomplete, counted, and not cached', async () => {
    bed.proxy.setRules([{ type: 'HEAD', path: /app-1\.0\.4/, fault: 'internal-error' }]);
    const { client } = clientThroughProxy();
    const stats = await client.getBucketStats(bucket, { mode: 'detailed' });
    expect(stats).toMatchObject({
      objectCount: 13,
      failedHeads: 1,
      incomplete: true,
      totalSizeEstimated: true,
      cache: { written: false },
    });
    expect(await cacheKeys()).not.toContain('.deltaglider/stats_detailed.json');
  }, 60_000);

  it('fails clearly when a LIST fails midway, and caches nothing', async () => {
    const keys = Array.from(
      { length: 1100 },
      (_, index) => `bulk/${String(index).padStart(4, '0')}.txt`,
    );
    for (let start = 0; start < keys.length; start += 100) {
      await Promise.all(
        keys.slice(start, start + 100).map((key) => direct.put(bucket, key, new Uint8Array([1]))),
      );
    }
    bed.proxy.setRules([{ type: 'LIST', fault: 'access-denied', skip: 1 }]);
    const { client } = clientThroughProxy();
    await expect(client.getBucketStats(bucket, { mode: 'detailed' })).rejects.toSatisfy(
      AccessDeniedError.isInstance,
    );
    expect(await cacheKeys()).toEqual([]);
  });

  it('treats a denied cache read and a failing cache write as warnings, and returns the stats', async () => {
    bed.proxy.setRules([
      { type: 'GET', path: /\.deltaglider\/stats_quick/, fault: 'access-denied' },
      { type: 'PUT', path: /\.deltaglider\/stats_quick/, fault: 'internal-error' },
    ]);
    const { client, logger } = clientThroughProxy();
    const stats = await client.getBucketStats(bucket);
    expect(stats).toMatchObject({
      objectCount: 13,
      compressedSize: 202779,
      cache: { written: false },
    });
    expect(logger.warnings).toHaveLength(2);
    expect(logger.warnings[0]).toMatch(/ignored: could not read it: access denied/);
    expect(logger.warnings[1]).toMatch(
      /not written: S3 PutObject for .* failed \(InternalError, HTTP 500\)/,
    );
  }, 60_000);

  it('retries a truncated listing body, or fails clearly: never a page of zeros', async () => {
    bed.proxy.setRules([{ type: 'LIST', fault: 'truncate', times: 1 }]);
    const { client } = clientThroughProxy();
    const outcome = await client.getBucketStats(bucket).then(
      (stats) => stats.objectCount,
      (error: unknown) => (error instanceof Error ? error.name : 'unknown'),
    );
    expect(outcome === 13 || typeof outcome === 'string').toBe(true);
    expect(outcome).not.toBe(0);
  });

  it('ends a stalled call promptly when its signal aborts, and caches nothing', async () => {
    bed.proxy.setRules([{ type: 'HEAD', fault: 'stall' }]);
    const { client } = clientThroughProxy();
    const started = performance.now();
    await expect(
      client.getBucketStats(bucket, { mode: 'detailed', signal: AbortSignal.timeout(500) }),
    ).rejects.toMatchObject({ name: expect.stringMatching(/AbortError|TimeoutError/) });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await cacheKeys()).toEqual([]);
  });
});
