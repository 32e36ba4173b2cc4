import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HISTORY_KEY } from '@deltaglider/core';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import { useS3TestBed } from '@deltaglider/test-s3-server';
import { beforeEach, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';

// A point per UTC day a whole-bucket result is computed, kept in the bucket (or on this
// machine for users who may not write it), and the month's average the bill is made of.

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const bed = useS3TestBed();
let cacheDirectory: string;

beforeEach(async () => {
  cacheDirectory = await mkdtemp(join(tmpdir(), 'dg-history-'));
  return () => rm(cacheDirectory, { recursive: true, force: true });
});

const dayClock = (date: string) => ({
  now: () => new Date(`${date}T12:00:00Z`),
  elapsedMs: () => performance.now(),
});
const clientOn = (date: string, endpoint = bed.server.endpoint) =>
  createClient({ endpoint, s3: { credentials }, cacheDirectory, clock: dayClock(date) });

async function bucketWith(name: string) {
  await bed.server.createBucket(name);
  const store = createS3ObjectStore({ endpoint: bed.server.endpoint, credentials });
  await store.put(name, 'app/reference.bin', new Uint8Array(1000));
  await store.put(name, 'app/v1.zip.delta', new Uint8Array(40));
  return store;
}

describe('stats history', () => {
  it('keeps one point a day, the last of the day, and averages the month', async () => {
    const store = await bucketWith('daily');
    await clientOn('2026-12-01').getBucketStats('daily');
    await store.put('daily', 'notes.txt', new Uint8Array(60));
    await clientOn('2026-12-01').getBucketStats('daily');
    // A cache hit computes nothing and records nothing.
    const hit = await clientOn('2026-12-02').getBucketStats('daily');
    expect(hit.cache.status).toBe('hit');
    await store.put('daily', 'more.txt', new Uint8Array(900));
    await clientOn('2026-12-03').getBucketStats('daily');
    // A prefix's stats are not the bucket's: no point.
    await clientOn('2026-12-03').getBucketStats('daily', { prefix: 'app/' });

    const history = await clientOn('2026-12-04').getStatsHistory('daily');
    expect(history.location).toBe('bucket');
    expect(history.points).toEqual([
      { date: '2026-12-01', stored: 1100, original: 1060, billed: 1100, objects: 2 },
      { date: '2026-12-03', stored: 2000, original: 1960, billed: 2000, objects: 3 },
    ]);
    // Days 1 and 2 stood at 1,100 bytes, days 3 and 4 at 2,000.
    expect(history.monthlyAverage).toEqual({
      month: '2026-12',
      storedBytes: 1550,
      billedBytes: 1550,
      days: 4,
    });
  });

  it('loses no day when writers race through a slow server (repeated)', async () => {
    await bucketWith('racing');
    bed.proxy.setRules([{ fault: 'delay', delayMs: 40 }]);
    try {
      for (let round = 0; round < 3; round++) {
        const days = Array.from({ length: 6 }, (_, index) => `2026-1${round}-0${index + 1}`);
        await Promise.all(
          days.map((day) =>
            clientOn(day, bed.proxy.endpoint).getBucketStats('racing', { refreshCache: true }),
          ),
        );
        const { points } = await clientOn('2026-12-31').getStatsHistory('racing');
        expect(points.map((point) => point.date)).toEqual(expect.arrayContaining(days));
      }
    } finally {
      bed.proxy.setRules([]);
    }
  });

  it('is kept on this machine for a user who may not write the bucket', async () => {
    await bucketWith('readonly');
    bed.proxy.setRules([{ fault: 'access-denied', type: 'PUT' }]);
    try {
      const client = clientOn('2026-12-02', bed.proxy.endpoint);
      const stats = await client.getBucketStats('readonly');
      expect(stats.cache).toMatchObject({ written: true, location: 'local' });
      const history = await client.getStatsHistory('readonly');
      expect(history.location).toBe('local');
      expect(history.points.map((point) => point.date)).toEqual(['2026-12-02']);
      const direct = createS3ObjectStore({ endpoint: bed.server.endpoint, credentials });
      expect(await direct.head('readonly', HISTORY_KEY)).toBeNull();
    } finally {
      bed.proxy.setRules([]);
    }
  });
});
