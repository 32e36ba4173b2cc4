import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, testStoreAt, useS3TestBed } from './test-support/s3-test-bed.js';

// The codec a user gets: the xdelta3 program when it is installed, the TypeScript codec when it
// is not (here: a PATH without it), and deltas that either one, and the Python tool's
// `xdelta3 -d`, reads back.

const bed = useS3TestBed();
let work: string;
let emptyPath: string;
const env = (extra: Record<string, string> = {}) => ({
  ...testCredentialsEnv,
  DG_CACHE_DIR: join(work, 'cache'),
  ...extra,
});
/** As on a machine without xdelta3: nothing on PATH. */
const withoutXdelta3 = () => env({ PATH: emptyPath });
const dg = (extra: Record<string, string>, ...args: string[]) =>
  runDeltaglider(['--endpoint-url', bed.server.endpoint, ...args], extra);

async function store() {
  return testStoreAt(bed.server.endpoint);
}

async function bytesOf(key: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const object = await (await store()).get('codecs', key);
  if (!object) throw new Error(`s3://codecs/${key} is missing`);
  for await (const chunk of object.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Two releases of an archive: the second edits a few places and grows. */
async function releases(folder: string): Promise<[string, string]> {
  await mkdir(join(work, folder), { recursive: true });
  const first = randomBytes(600_000);
  const second = Buffer.concat([
    first.subarray(0, 250_000),
    randomBytes(500),
    first.subarray(250_100),
  ]);
  const paths = [join(work, folder, 'app-1.0.zip'), join(work, folder, 'app-1.1.zip')] as const;
  await writeFile(paths[0], first);
  await writeFile(paths[1], second);
  return [paths[0], paths[1]];
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dg-codec-choice-'));
  emptyPath = join(work, 'empty-path');
  await mkdir(emptyPath);
  await bed.server.createBucket('codecs');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('without xdelta3 installed', () => {
  it("cp stores deltas with the TypeScript codec, which the Python tool's xdelta3 -d rebuilds", async () => {
    const [first, second] = await releases('ts');
    expect((await dg(withoutXdelta3(), 'cp', first, 's3://codecs/ts/')).code).toBe(0);
    const run = await dg(withoutXdelta3(), 'cp', second, 's3://codecs/ts/');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/delta/);

    const head = await (await store()).head('codecs', 'ts/app-1.1.zip.delta');
    expect(head?.metadata['dg-delta-cmd']).toBe(
      'deltaglider-vcdiff -e -6 -s reference.bin app-1.1.zip app-1.1.zip.delta',
    );
    expect(head!.size).toBeLessThan(2_000);
    const written = await bytesOf('ts/app-1.1.zip.delta');
    // VCD_DECOMPRESS and VCD_APPHEADER, xdelta3's LZMA, then the header -//-/none (a source
    // xdelta3 must read as it is, even when it looks gzip'ed).
    expect([written[4], written[5]]).toEqual([0x05, 0x02]);
    expect(Buffer.from(written.subarray(7, 16)).toString()).toBe('-//-/none');
    // What the Python DeltaGlider runs to download it: xdelta3 -d -s reference delta output.
    await writeFile(join(work, 'ts', 'reference.bin'), await bytesOf('ts/reference.bin'));
    await writeFile(join(work, 'ts', 'delta'), await bytesOf('ts/app-1.1.zip.delta'));
    execFileSync('xdelta3', [
      '-d',
      '-f',
      '-s',
      join(work, 'ts', 'reference.bin'),
      join(work, 'ts', 'delta'),
      join(work, 'ts', 'out'),
    ]);
    const rebuilt = await readFile(join(work, 'ts', 'out'));
    expect(createHash('sha256').update(rebuilt).digest('hex')).toBe(
      head?.metadata['dg-file-sha256'],
    );
    expect(rebuilt.equals(await readFile(second))).toBe(true);
  });

  it('downloads and verifies deltas the xdelta3 program wrote (LZMA secondary compression)', async () => {
    const [first, second] = await releases('xd');
    for (const file of [first, second])
      expect((await dg(env(), '--codec', 'xdelta3', 'cp', file, 's3://codecs/xd/')).code).toBe(0);
    const delta = await bytesOf('xd/app-1.1.zip.delta');
    expect(delta[4]! & 0x01).toBe(0x01); // VCD_SECONDARY: compressed sections

    await rm(join(work, 'cache'), { recursive: true, force: true });
    const down = await dg(
      withoutXdelta3(),
      'cp',
      's3://codecs/xd/app-1.1.zip',
      join(work, 'xd', 'got.zip'),
    );
    expect(down.stderr).toBe('');
    expect(down.code).toBe(0);
    expect((await readFile(join(work, 'xd', 'got.zip'))).equals(await readFile(second))).toBe(true);
    expect((await dg(withoutXdelta3(), 'verify', 's3://codecs/xd/app-1.1.zip')).code).toBe(0);
  });

  it('--codec xdelta3 says what is missing in one line and exits 1', async () => {
    const [, second] = await releases('missing');
    const run = await dg(withoutXdelta3(), '--codec', 'xdelta3', 'cp', second, 's3://codecs/ts/');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/xdelta3 is not installed.*apt-get install xdelta3/);
  });
});

describe('choosing', () => {
  it('DG_CODEC=ts uses the TypeScript codec even where xdelta3 is installed', async () => {
    const [first, second] = await releases('env');
    for (const file of [first, second])
      expect((await dg(env({ DG_CODEC: 'ts' }), 'cp', file, 's3://codecs/env/')).code).toBe(0);
    const head = await (await store()).head('codecs', 'env/app-1.1.zip.delta');
    expect(head?.metadata['dg-delta-cmd']).toMatch(/^deltaglider-vcdiff -e /);
  });

  it('auto takes the built-in codec where it beats the program at the levels asked: against xdelta3 -9, not -3', async () => {
    // Measured on the npm release corpus: levels 1-7 write smaller deltas than xdelta3 -9 in
    // less time, none is as fast as -3 (BENCHMARKS.md).
    const cases = [
      [[], {}, 'xdelta3 -e -3 '],
      [['--xdelta3-level', '9'], {}, 'deltaglider-vcdiff -e -6 '],
      [[], { DG_XDELTA3_LEVEL: '9' }, 'deltaglider-vcdiff -e -6 '],
      [['--xdelta3-level', '9', '--codec-level', '8'], {}, 'xdelta3 -e -9 '],
      [['--xdelta3-level', '9', '--codec', 'xdelta3'], {}, 'xdelta3 -e -9 '],
    ] as const;
    for (const [index, [flags, extra, command]] of cases.entries()) {
      const [first, second] = await releases(`auto-${index}`);
      for (const file of [first, second]) {
        const run = await dg(env(extra), ...flags, 'cp', file, `s3://codecs/auto-${index}/`);
        expect(run.code).toBe(0);
      }
      const head = await (await store()).head('codecs', `auto-${index}/app-1.1.zip.delta`);
      expect(head?.metadata['dg-delta-cmd'], JSON.stringify(flags)).toMatch(
        new RegExp(`^${command}`),
      );
    }
  });

  it('auto encodes with the program where it is installed and decodes with the built-in codec; --codec xdelta3 decodes with the program', async () => {
    // The real xdelta3 behind a script that writes down each command line it is run with.
    const log = join(work, 'program-runs');
    const program = join(work, 'xdelta3-logged');
    await writeFile(program, `#!/bin/sh\necho "$*" >> "${log}"\nexec xdelta3 "$@"\n`);
    await chmod(program, 0o755);
    const runs = async () => {
      const lines = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
      await rm(log, { force: true });
      return lines.map((line) => line.split(' ')[0]);
    };
    const logged = env({ DG_XDELTA3: program });
    const [first, second] = await releases('decoding');
    for (const file of [first, second])
      expect((await dg(logged, 'cp', file, 's3://codecs/decoding/')).code).toBe(0);
    // The first file is stored as reference.bin and a delta of it, as the Python tool does.
    expect(await runs()).toEqual(['-e', '-e']);
    const head = await (await store()).head('codecs', 'decoding/app-1.1.zip.delta');
    expect(head?.metadata['dg-delta-cmd']).toMatch(/^xdelta3 -e -3 /);

    for (const [flags, decodes] of [
      [[], []],
      [['--codec', 'xdelta3'], ['-d']],
    ] as const) {
      await rm(join(work, 'cache'), { recursive: true, force: true });
      const got = join(work, 'decoding', `got-${decodes.length}.zip`);
      const down = await dg(logged, ...flags, 'cp', 's3://codecs/decoding/app-1.1.zip', got);
      expect(down.stderr).toBe('');
      expect(down.code).toBe(0);
      expect((await readFile(got)).equals(await readFile(second))).toBe(true);
      expect(await runs(), JSON.stringify(flags)).toEqual(decodes);
    }
  });

  it("--codec-level (or DG_CODEC_LEVEL) sets the built-in codec's level, named in dg-delta-cmd", async () => {
    const [first, second] = await releases('level');
    expect((await dg(withoutXdelta3(), 'cp', first, 's3://codecs/level/')).code).toBe(0);
    const run = await dg(
      withoutXdelta3(),
      '--codec-level',
      '9',
      'cp',
      second,
      's3://codecs/level/',
    );
    expect(run.code).toBe(0);
    const head = await (await store()).head('codecs', 'level/app-1.1.zip.delta');
    expect(head?.metadata['dg-delta-cmd']).toMatch(/^deltaglider-vcdiff -e -9 -s reference\.bin /);
    expect((await dg(withoutXdelta3(), 'verify', 's3://codecs/level/app-1.1.zip')).code).toBe(0);
    for (const bad of [
      await dg(withoutXdelta3(), '--codec-level', '0', 'ls', 's3://codecs/'),
      await dg(withoutXdelta3(), '--codec-level', '2.5', 'ls', 's3://codecs/'),
      await dg({ ...withoutXdelta3(), DG_CODEC_LEVEL: 'fast' }, 'ls', 's3://codecs/'),
    ]) {
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(/codec-level|CODEC_LEVEL/);
    }
  });

  it('a codec name that does not exist is a usage error', async () => {
    const bad = await dg(env({ DG_CODEC: 'zstd' }), 'ls', 's3://codecs/');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/DG_CODEC must be one of auto, xdelta3, ts/);
    expect((await dg(env(), '--codec', 'zstd', 'ls', 's3://codecs/')).code).toBe(2);
  });
});
