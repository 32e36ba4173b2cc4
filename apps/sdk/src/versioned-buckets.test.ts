import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import { useS3TestBed } from '@deltaglider/test-s3-server';
import { beforeEach, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import { createRecordingLogger } from './test-support/stats-backends.js';

// On a versioned bucket every rewrite of a stats cache leaves a billed noncurrent version, and
// under Object Lock a locked one. The proxy plays such a bucket in front of the test server.

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const CACHE = '.deltaglider/stats_quick.json';
const bed = useS3TestBed();
let cacheDirectory: string;

beforeEach(async () => {
  cacheDirectory = await mkdtemp(join(tmpdir(), 'dg-versioned-'));
  return () => rm(cacheDirectory, { recursive: true, force: true });
});

async function bucketWith(name: string, files: number) {
  await bed.server.createBucket(name);
  const direct = createS3ObjectStore({ endpoint: bed.server.endpoint, credentials });
  for (let index = 0; index < files; index++)
    await direct.put(name, `file-${index}.txt`, new Uint8Array(index + 10));
  return direct;
}

describe('a versioned bucket', () => {
  it('keeps one version of each cache: old ones are pruned, unchanged numbers are not rewritten', async () => {
    const direct = await bucketWith('versioned', 3);
    bed.proxy.setRules([{ fault: 'versioned' }]);
    const client = createClient({
      endpoint: bed.proxy.endpoint,
      s3: { credentials },
      cacheDirectory,
    });
    const path = `/versioned/${CACHE}`;

    expect((await client.getBucketStats('versioned')).cache).toMatchObject({
      status: 'miss',
      location: 'bucket',
    });
    await direct.put('versioned', 'file-9.txt', new Uint8Array(5));
    expect((await client.getBucketStats('versioned')).cache).toMatchObject({
      status: 'stale',
      location: 'bucket',
    });
    expect(bed.proxy.versionsOf(path)).toHaveLength(1);

    // Same size, new content: the listing changed, the numbers did not. No new version.
    await direct.put('versioned', 'file-9.txt', new Uint8Array(5).fill(1));
    const puts = bed.proxy.requestCounts().PUT ?? 0;
    const same = await client.getBucketStats('versioned');
    expect(same.cache).toMatchObject({ status: 'stale', written: true, location: 'local' });
    expect(bed.proxy.requestCounts().PUT ?? 0).toBe(puts);
    expect(bed.proxy.versionsOf(path)).toHaveLength(1);
    // ... and the next call is answered from this machine's copy.
    expect((await client.getBucketStats('versioned')).cache).toMatchObject({
      status: 'hit',
      location: 'local',
    });
  });
});

describe('a bucket with Object Lock default retention', () => {
  it('never gets a cache written into it: one warning, then this machine answers', async () => {
    await bucketWith('locked', 2);
    bed.proxy.setRules([{ fault: 'versioned', objectLock: true }]);
    const logger = createRecordingLogger();
    const client = createClient({
      endpoint: bed.proxy.endpoint,
      s3: { credentials },
      cacheDirectory,
      logger,
    });
    const puts = bed.proxy.requestCounts().PUT ?? 0;
    const first = await client.getBucketStats('locked');
    expect(first.cache).toMatchObject({ status: 'miss', written: true, location: 'local' });
    expect(logger.warnings).toEqual([
      expect.stringMatching(/^bucket "locked" has Object Lock default retention/),
    ]);
    const second = await createClient({
      endpoint: bed.proxy.endpoint,
      s3: { credentials },
      cacheDirectory,
    }).getBucketStats('locked');
    expect(second.cache).toMatchObject({ status: 'hit', location: 'local' });
    expect(bed.proxy.requestCounts().PUT ?? 0).toBe(puts);
  });
});

describe('stats with versions', () => {
  it('count older versions and delete markers, per deltaspace, into the billed bytes', async () => {
    await bed.server.createBucket('history');
    bed.proxy.setRules([{ fault: 'versioned' }]);
    const store = createS3ObjectStore({ endpoint: bed.proxy.endpoint, credentials });
    await store.put('history', 'app/reference.bin', new Uint8Array(1000));
    await store.put('history', 'app/v1.zip.delta', new Uint8Array(40));
    await store.put('history', 'app/v2.zip.delta', new Uint8Array(50));
    // Rewritten: its first 40 bytes stay billed as an older version.
    await store.put('history', 'app/v1.zip.delta', new Uint8Array(45));
    // Deleted: its 50 bytes stay too, behind a delete marker.
    await store.delete('history', 'app/v2.zip.delta');
    await store.put('history', 'notes.txt', new Uint8Array(7));
    await store.put('history', 'notes.txt', new Uint8Array(8));

    const client = createClient({
      endpoint: bed.proxy.endpoint,
      s3: { credentials },
      cacheDirectory,
    });
    const plain = await client.getBucketStats('history', { useCache: false });
    expect(plain.billing).toEqual({
      billedBytes: 1053,
      listedBytes: 1053,
      versions: null,
      uploads: null,
    });

    const stats = await client.getBucketStats('history', {
      useCache: false,
      versions: true,
      byDeltaspace: true,
    });
    expect(stats.compressedSize).toBe(1053);
    expect(stats.billing).toEqual({
      billedBytes: 1053 + 40 + 50 + 7,
      listedBytes: 1053,
      versions: {
        listed: true,
        noncurrentVersions: 3,
        noncurrentBytes: 97,
        deleteMarkers: 1,
        deltaspaces: [
          { deltaspace: 'app', noncurrentVersions: 2, noncurrentBytes: 90, deleteMarkers: 1 },
        ],
      },
      uploads: null,
    });
  });

  it('say so where the store keeps no versions', async () => {
    const store = createMemoryObjectStore();
    await store.createBucket('plain');
    const client = createClient({ store, localStatsCache: false });
    const stats = await client.getBucketStats('plain', { useCache: false, versions: true });
    expect(stats.billing.versions).toEqual({
      listed: false,
      noncurrentVersions: 0,
      noncurrentBytes: 0,
      deleteMarkers: 0,
    });
  });
});
