import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import {
  type FaultProxy,
  startFaultProxy,
  startTestS3Server,
  type TestS3Server,
} from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import { createRecordingLogger } from './test-support/stats-backends.js';

// On a versioned bucket every rewrite of a stats cache leaves a billed noncurrent version, and
// under Object Lock a locked one. The proxy plays such a bucket in front of the test server.

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const CACHE = '.deltaglider/stats_quick.json';
let server: TestS3Server;
let proxy: FaultProxy;
let cacheDirectory: string;

beforeAll(async () => {
  server = await startTestS3Server();
  proxy = await startFaultProxy(server);
});
afterAll(async () => {
  await proxy.stop();
  await server.stop();
});
beforeEach(async () => {
  cacheDirectory = await mkdtemp(join(tmpdir(), 'dg-versioned-'));
  return () => rm(cacheDirectory, { recursive: true, force: true });
});

async function bucketWith(name: string, files: number) {
  await server.createBucket(name);
  const direct = createS3ObjectStore({ endpoint: server.endpoint, credentials });
  for (let index = 0; index < files; index++)
    await direct.put(name, `file-${index}.txt`, new Uint8Array(index + 10));
  return direct;
}

describe('a versioned bucket', () => {
  it('keeps one version of each cache: old ones are pruned, unchanged numbers are not rewritten', async () => {
    const direct = await bucketWith('versioned', 3);
    proxy.setRules([{ fault: 'versioned' }]);
    const client = createClient({ endpoint: proxy.endpoint, credentials, cacheDirectory });
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
    expect(proxy.versionsOf(path)).toHaveLength(1);

    // Same size, new content: the listing changed, the numbers did not. No new version.
    await direct.put('versioned', 'file-9.txt', new Uint8Array(5).fill(1));
    const puts = proxy.requestCounts().PUT ?? 0;
    const same = await client.getBucketStats('versioned');
    expect(same.cache).toMatchObject({ status: 'stale', written: true, location: 'local' });
    expect(proxy.requestCounts().PUT ?? 0).toBe(puts);
    expect(proxy.versionsOf(path)).toHaveLength(1);
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
    proxy.setRules([{ fault: 'versioned', objectLock: true }]);
    const logger = createRecordingLogger();
    const client = createClient({ endpoint: proxy.endpoint, credentials, cacheDirectory, logger });
    const puts = proxy.requestCounts().PUT ?? 0;
    const first = await client.getBucketStats('locked');
    expect(first.cache).toMatchObject({ status: 'miss', written: true, location: 'local' });
    expect(logger.warnings).toEqual([
      expect.stringMatching(/^bucket "locked" has Object Lock default retention/),
    ]);
    const second = await createClient({
      endpoint: proxy.endpoint,
      credentials,
      cacheDirectory,
    }).getBucketStats('locked');
    expect(second.cache).toMatchObject({ status: 'hit', location: 'local' });
    expect(proxy.requestCounts().PUT ?? 0).toBe(puts);
  });
});
