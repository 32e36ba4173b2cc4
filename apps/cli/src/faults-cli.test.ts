import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, useS3TestBed } from './test-support/s3-test-bed.js';

const bed = useS3TestBed();
const env = testCredentialsEnv;

beforeAll(async () => {
  await bed.server.createBucket('stalled');
  await loadFixtureBucket(
    createS3ObjectStore({
      endpoint: bed.server.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    }),
    'stalled',
  );
});
afterAll(async () => {});

describe('deltaglider processes racing each other', () => {
  it('two stats processes and an uploading one: every cache served afterwards matches a fresh count', async () => {
    bed.proxy.setRules([]);
    await bed.server.createBucket('racing');
    const dir = await mkdtemp(join(tmpdir(), 'dg-race-'));
    const base = new Uint8Array(300_000);
    for (let index = 0; index < base.length; index++)
      base[index] = (Math.imul(index, 2654435761) >>> 11) & 255;
    const s3 = ['--endpoint-url', bed.server.endpoint];
    try {
      for (let version = 0; version < 4; version++) {
        const file = join(dir, `app-${version}.zip`);
        await writeFile(file, Buffer.concat([base, Buffer.alloc(version * 512, version)]));
        const runs = await Promise.all([
          runDeltaglider([...s3, 'stats', 'racing', '--json'], env),
          runDeltaglider([...s3, 'stats', 'racing', '--detailed', '--json'], env),
          runDeltaglider([...s3, 'cp', file, 's3://racing/app/'], env),
        ]);
        expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
      }
      for (const mode of [[], ['--detailed']]) {
        const served = JSON.parse(
          (await runDeltaglider([...s3, 'stats', 'racing', '--json', ...mode], env)).stdout,
        );
        const fresh = JSON.parse(
          (await runDeltaglider([...s3, 'stats', 'racing', '--json', '--no-cache', ...mode], env))
            .stdout,
        );
        // Where originals came from differs (a HEAD then, the companion now); the numbers not.
        const { cache: _served, originals_from: _servedFrom, ...servedStats } = served;
        const { cache: _fresh, originals_from: _freshFrom, ...freshStats } = fresh;
        expect(servedStats).toEqual(freshStats);
        expect(served.object_count).toBe(4);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('deltaglider stats under faults', () => {
  it('ends at --timeout with one line saying how far it got, and caches nothing', async () => {
    bed.proxy.setRules([{ type: 'HEAD', fault: 'stall' }]);
    const started = performance.now();
    const run = await runDeltaglider(
      ['--endpoint-url', bed.proxy.endpoint, 'stats', 'stalled', '--detailed', '--timeout', '1'],
      env,
    );
    expect(performance.now() - started).toBeLessThan(8000);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'deltaglider: error: timed out after 1 s (16 objects listed); nothing was cached\n',
    );
    bed.proxy.setRules([]);
    const listing = await runDeltaglider(
      ['--endpoint-url', bed.server.endpoint, 'ls', '-r', 's3://stalled/.deltaglider/'],
      env,
    );
    expect(listing.stdout).toBe('');
  });

  it('exits 1 on a denied listing, never printing zeros', async () => {
    bed.proxy.setRules([{ type: 'LIST', fault: 'access-denied' }]);
    const run = await runDeltaglider(
      ['--endpoint-url', bed.proxy.endpoint, 'stats', 'stalled', '--json'],
      env,
    );
    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'deltaglider: error: access denied (ListObjectsV2 bucket "stalled"): AccessDenied\n',
    });
  });
});
