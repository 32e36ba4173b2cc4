import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
