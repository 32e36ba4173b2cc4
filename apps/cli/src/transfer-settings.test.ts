import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransferEvent } from '@deltaglider/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSize } from './options/parse-size.js';
import { TransferProgress } from './output/transfer-progress.js';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, testStoreAt, useS3TestBed } from './test-support/s3-test-bed.js';

// The flags for big transfers, as a user types them: multipart sizes, the reference cache's
// cap and prune, parallel cp -r with a progress line on a terminal.

const MIB = 1024 * 1024;
const bed = useS3TestBed();
let work: string;
const env = () => ({ ...testCredentialsEnv, DG_CACHE_DIR: join(work, 'cache') });
const dg = (...args: string[]) =>
  runDeltaglider(['--endpoint-url', bed.server.endpoint, ...args], env());

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dg-transfer-'));
  await bed.server.createBucket('xfer');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('multipart flags', () => {
  it('--multipart-threshold and --multipart-chunksize cut an upload into parts', async () => {
    const file = join(work, 'backup.tar');
    await writeFile(file, randomBytes(12 * MIB));
    bed.server.resetRequests();
    const run = await dg(
      '--multipart-threshold',
      '10MB',
      '--multipart-chunksize',
      '5MiB',
      'cp',
      file,
      's3://xfer/parts/',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const parts = bed.server.requests.filter(
      (request) => request.method === 'PUT' && request.url.includes('partNumber='),
    );
    expect(parts).toHaveLength(3);
    const verify = await dg('verify', 's3://xfer/parts/backup.tar');
    expect(verify.code).toBe(0);

    // Multipart ETags ("…-3") fingerprint the listing like any other: the second call is warm.
    const cold = await dg('stats', 's3://xfer/parts/', '--detailed', '--json');
    expect(JSON.parse(cold.stdout).total_size).toBe(12 * MIB);
    bed.server.resetRequests();
    const warm = await dg('stats', 's3://xfer/parts/', '--detailed', '--json');
    expect(JSON.parse(warm.stdout).total_size).toBe(12 * MIB);
    expect(bed.server.requestCounts().HEAD ?? 0).toBe(0);
  });

  it.each([
    [['--multipart-chunksize', '1MB'], 'at least 5MB'],
    [['--multipart-threshold', 'lots'], 'takes a size like'],
    [['--reference-cache-max', '-1'], 'takes a size like'],
  ])('%j is a usage error (exit 2)', async (flags, message) => {
    const run = await dg(...flags, 'cp', join(work, 'backup.tar'), 's3://xfer/x/');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('reads sizes as the AWS CLI does: KB, MB, GB are powers of 1024', () => {
    expect(parseSize('8388608', '--x')).toBe(8 * MIB);
    expect(parseSize('64MB', '--x')).toBe(64 * MIB);
    expect(parseSize('1.5GiB', '--x')).toBe(1.5 * 1024 * MIB);
    expect(parseSize('512kb', '--x')).toBe(512 * 1024);
  });
});

describe('--xdelta3-level', () => {
  it('writes deltas at the level asked for (default 3), named in dg-delta-cmd', async () => {
    const store = testStoreAt(bed.server.endpoint);
    const base = randomBytes(200_000);
    await mkdir(join(work, 'levels'), { recursive: true });
    for (const [version, flags] of [
      [1, []],
      [2, []],
      // The program itself (auto would take the built-in codec against -9: it beats it).
      [3, ['--codec', 'xdelta3', '--xdelta3-level', '9']],
    ] as const) {
      base[version] = version;
      await writeFile(join(work, 'levels', `app-${version}.zip`), base);
      const run = await dg(
        ...flags,
        'cp',
        join(work, 'levels', `app-${version}.zip`),
        's3://xfer/lv/',
      );
      expect(run.code).toBe(0);
    }
    const command = async (version: number) =>
      (await store.head('xfer', `lv/app-${version}.zip.delta`))?.metadata['dg-delta-cmd'];
    expect(await command(2)).toBe('xdelta3 -e -3 -s reference.bin app-2.zip app-2.zip.delta');
    expect(await command(3)).toBe('xdelta3 -e -9 -s reference.bin app-3.zip app-3.zip.delta');
    expect((await dg('verify', 's3://xfer/lv/app-3.zip')).code).toBe(0);
    expect((await dg('--xdelta3-level', '0', 'ls', 's3://xfer/')).code).toBe(2);
  });
});

describe('the reference cache', () => {
  it('is filled by a delta download and emptied by cache prune', async () => {
    const base = randomBytes(300_000);
    await mkdir(join(work, 'v'), { recursive: true });
    for (const version of [1, 2]) {
      base[version] = version;
      await writeFile(join(work, 'v', `app-${version}.zip`), base);
      expect((await dg('cp', join(work, 'v', `app-${version}.zip`), 's3://xfer/app/')).code).toBe(
        0,
      );
    }
    await rm(join(work, 'cache'), { recursive: true, force: true });
    expect((await dg('cp', 's3://xfer/app/app-2.zip', join(work, 'got.zip'))).code).toBe(0);
    expect(await readdir(join(work, 'cache', 'references'))).toHaveLength(1);

    const prune = await dg('cache', 'prune');
    expect(prune.code).toBe(0);
    expect(prune.stdout).toMatch(/^pruned: 1 cached reference\(s\), \d/);
    expect(await readdir(join(work, 'cache', 'references'))).toEqual([]);
    expect((await dg('cache', 'prune', 'xfer')).code).toBe(2);
  });
});

describe('cp -r', () => {
  it('--concurrency copies a tree both ways; 0 is a usage error', async () => {
    for (let index = 0; index < 6; index++) {
      await mkdir(join(work, 'tree', `d${index % 2}`), { recursive: true });
      await writeFile(join(work, 'tree', `d${index % 2}`, `f${index}.txt`), `file ${index}`);
    }
    const up = await dg('cp', '-r', '--concurrency', '3', join(work, 'tree'), 's3://xfer/tree/');
    expect(up.code).toBe(0);
    expect(up.stdout.trim().split('\n')).toHaveLength(6);
    const down = await dg('cp', '-r', '--concurrency', '3', 's3://xfer/tree/', join(work, 'back'));
    expect(down.code).toBe(0);
    expect((await readdir(join(work, 'back'), { recursive: true })).length).toBe(8);
    expect(
      (await dg('cp', '-r', '--concurrency', '0', join(work, 'tree'), 's3://xfer/t/')).code,
    ).toBe(2);
  });

  it('runs 24 files at once both ways without a listener-leak warning (with --timeout set)', async () => {
    for (let index = 0; index < 30; index++) {
      await mkdir(join(work, 'wide'), { recursive: true });
      await writeFile(join(work, 'wide', `f${index}.txt`), `wide file ${index}`);
    }
    const wide = ['--concurrency', '24', '--timeout', '120'];
    const up = await dg('cp', '-r', ...wide, join(work, 'wide'), 's3://xfer/wide/');
    const down = await dg('cp', '-r', ...wide, 's3://xfer/wide/', join(work, 'wide-back'));
    for (const run of [up, down]) {
      expect(run.code).toBe(0);
      expect(run.stderr).not.toContain('MaxListenersExceededWarning');
    }
    expect(await readdir(join(work, 'wide-back'))).toHaveLength(30);
  });

  it('formats the rate, and shows the time left only once it is known', () => {
    let now = 0;
    const pipe = { write: () => true };
    const progress = new TransferProgress({ stdout: pipe, stderr: pipe, env: {} }, () => now);
    progress.record({ type: 'planned', files: 3, bytes: 30 * MIB });
    now = 300;
    progress.record(uploaded(17));
    // 17 bytes in 0.3 s: no fractions of a byte, and far too early to guess the time left.
    expect(progress.describe()).toBe('Completed 1/3 files, 17 bytes/30.0 MiB (57 bytes/s)');
    now = 5_000;
    progress.record(uploaded(10 * MIB - 17));
    expect(progress.describe()).toBe(
      'Completed 2/3 files, 10.0 MiB/30.0 MiB (2.0 MiB/s), about 10 s left',
    );
    now = 60_000;
    expect(progress.describe()).toMatch(/\(171 KiB\/s\), about 2 min left$/);
    now = 3_600_000;
    expect(progress.describe()).toMatch(/\(2\.8 KiB\/s\), about 2 h 0 min left$/);
  });

  it('shows one progress line on a terminal (files, bytes, rate, time left), none otherwise', () => {
    let written = '';
    let now = 0;
    const terminal = { write: (text: string) => (written += text), isTTY: true };
    const io = { stdout: terminal, stderr: terminal, env: {} };
    const progress = new TransferProgress(io, () => now);
    const events: TransferEvent[] = [{ type: 'planned', files: 2, bytes: 3 * MIB }, uploaded(MIB)];
    for (const event of events) progress.record(event);
    now = 3_000;
    progress.show();
    expect(written.startsWith('\r\u001b[K')).toBe(true);
    expect(written.slice('\r\u001b[K'.length)).toBe(
      'Completed 1/2 files, 1.0 MiB/3.0 MiB (341 KiB/s), about 6 s left',
    );
    progress.clear();
    expect(written.endsWith('\r\x1b[K')).toBe(true);

    let piped = '';
    const pipe = { write: (text: string) => (piped += text) };
    const quiet = new TransferProgress({ stdout: pipe, stderr: pipe, env: {} });
    quiet.show();
    expect(piped).toBe('');
  });
});

/** A finished upload of `size` bytes, stored direct, as the SDK reports it. */
function uploaded(size: number): TransferEvent {
  return {
    type: 'uploaded',
    path: 'a',
    result: {
      bucket: 'b',
      key: 'a',
      storedKey: 'a',
      storedAs: 'direct',
      originalSize: size,
      storedSize: size,
      sha256: '',
    },
  };
}
