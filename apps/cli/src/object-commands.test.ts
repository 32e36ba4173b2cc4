import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBody } from '@deltaglider/core/adapter-kit';
import { createFsObjectStore } from '@deltaglider/fs-adapter';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import { startTestS3Server, type TestS3Server } from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';

// The whole flow through the binary: upload six versions of a ~1 MB archive, list
// them, count them exactly, download each byte for byte, then remove everything.

let server: TestS3Server;
let work: string;
const env = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const sizes: number[] = [];

beforeAll(async () => {
  server = await startTestS3Server();
  await server.createBucket('flow');
  work = await mkdtemp(join(tmpdir(), 'dg-cli-flow-'));
  await mkdir(join(work, 'files'));
  const base = new Uint8Array(1_000_000);
  for (let index = 0; index < base.length; index++)
    base[index] = (Math.imul(index, 2654435761) >>> 13) & 255;
  for (let version = 0; version < 6; version++) {
    const bytes = new Uint8Array(base.length + version * 2048);
    bytes.set(base);
    bytes.fill(version + 1, base.length);
    bytes.fill(0xaa, version * 40_000, version * 40_000 + 100);
    sizes.push(bytes.byteLength);
    await writeFile(join(work, 'files', `app-1.0.${version}.zip`), bytes);
  }
  const local = createFsObjectStore({ root: join(work, 'store') });
  await local.createBucket('flow');
}, 30_000);

afterAll(async () => {
  await server.stop();
  await rm(work, { recursive: true, force: true });
});

describe.each([
  ['the S3 server', () => server.endpoint],
  ['a file:// store', () => `file://${join(work, 'store')}`],
])('cp, ls, stats, verify and rm -r against %s', (_name, endpoint) => {
  const dg = (...args: string[]) => runDeltaglider(['--endpoint-url', endpoint(), ...args], env);

  it('runs the whole flow', async () => {
    for (let version = 0; version < 6; version++) {
      const upload = await dg(
        'cp',
        join(work, 'files', `app-1.0.${version}.zip`),
        's3://flow/releases/app/',
      );
      expect(upload.stderr).toBe('');
      expect(upload.code).toBe(0);
      expect(upload.stdout).toContain(`upload: s3://flow/releases/app/app-1.0.${version}.zip`);
      expect(upload.stdout).toContain(version === 0 ? 'new reference' : '% saved');
    }

    const listing = await dg('ls', 's3://flow/releases/app/');
    expect(listing.code).toBe(0);
    const names = listing.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/).at(-1));
    expect(names).toEqual([0, 1, 2, 3, 4, 5].map((version) => `app-1.0.${version}.zip`));
    const top = await dg('ls', 's3://flow');
    expect(top.stdout).toBe(`${' '.repeat(26)} PRE releases/\n`);
    const summary = await dg('ls', '-r', '-h', '--summarize', 's3://flow');
    expect(summary.stdout).toContain('Total Objects: 6');

    const stats = await dg('stats', 'flow', '--detailed', '--json');
    expect(JSON.parse(stats.stdout)).toMatchObject({
      object_count: 6,
      delta_objects: 6,
      total_size: sizes.reduce((sum, size) => sum + size, 0),
      total_size_estimated: false,
    });

    await mkdir(join(work, 'out'), { recursive: true });
    for (let version = 0; version < 6; version++) {
      const name = `app-1.0.${version}.zip`;
      const target = join(work, 'out', `${version}-${name}`);
      const download = await dg('cp', `s3://flow/releases/app/${name}`, target);
      expect(download.code).toBe(0);
      expect(sha256(await readFile(target))).toBe(
        sha256(await readFile(join(work, 'files', name))),
      );
    }
    const verify = await dg('verify', 's3://flow/releases/app/app-1.0.5.zip.delta');
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({
      valid: true,
      key: 'releases/app/app-1.0.5.zip',
    });

    const dryRun = await dg('rm', '-r', '--dryrun', 's3://flow/');
    expect(dryRun.stdout).toContain('(dryrun) delete: s3://flow/releases/app/app-1.0.5.zip.delta');
    // References stay for gc, which frees them once a run past the grace period finds them unused.
    expect(dryRun.stdout).not.toContain('reference.bin');
    const removal = await dg('rm', '-r', 's3://flow/');
    expect(removal.code).toBe(0);
    const after = await dg('ls', '-r', 's3://flow');
    expect(after.stdout).toBe('');
    expect((await dg('gc', 's3://flow/')).stdout).toContain(
      'mark: s3://flow/releases/app/reference.bin',
    );
    const collected = await dg('gc', '--older-than', '0s', 's3://flow/');
    expect(collected.stdout).toContain('delete: s3://flow/releases/app/reference.bin');
    await rm(join(work, 'out'), { recursive: true, force: true });
  }, 120_000);
});

describe('recursive copies and verification failures', () => {
  const dg = (...args: string[]) =>
    runDeltaglider(['--endpoint-url', server.endpoint, ...args], env);

  it('uploads a directory tree with cp -r and downloads it back byte for byte', async () => {
    await server.createBucket('trees');
    const tree = join(work, 'tree');
    await mkdir(join(tree, 'app', 'nested'), { recursive: true });
    await writeFile(
      join(tree, 'app', 'app-1.0.0.zip'),
      await readFile(join(work, 'files', 'app-1.0.0.zip')),
    );
    await writeFile(
      join(tree, 'app', 'app-1.0.1.zip'),
      await readFile(join(work, 'files', 'app-1.0.1.zip')),
    );
    await writeFile(join(tree, 'app', 'nested', 'notes.txt'), 'notes');
    const up = await dg('cp', '-r', tree, 's3://trees/backup/');
    expect(up.code).toBe(0);
    expect(up.stdout.trim().split('\n')).toHaveLength(3);

    const back = join(work, 'tree-back');
    const down = await dg('cp', '-r', 's3://trees/backup/', back);
    expect(down.code).toBe(0);
    for (const file of ['app/app-1.0.0.zip', 'app/app-1.0.1.zip', 'app/nested/notes.txt']) {
      expect(sha256(await readFile(join(back, file)))).toBe(
        sha256(await readFile(join(tree, file))),
      );
    }
  });

  it('prints the verify JSON and exits 1 when a file no longer matches its SHA-256', async () => {
    await server.createBucket('tampered');
    await dg('cp', join(work, 'files', 'app-1.0.0.zip'), 's3://tampered/a/');
    await dg('cp', join(work, 'files', 'app-1.0.2.zip'), 's3://tampered/a/');
    const store = createS3ObjectStore({
      endpoint: server.endpoint,
      credentials: { accessKeyId: 't', secretAccessKey: 't' },
    });
    // Keep the delta's bytes, but make its metadata promise another file.
    const stored = await store.get('tampered', 'a/app-1.0.2.zip.delta');
    await store.put('tampered', 'a/app-1.0.2.zip.delta', await readBody(stored!.body), {
      metadata: { ...stored!.metadata, 'dg-file-sha256': '0'.repeat(64) },
    });
    const run = await dg('verify', 's3://tampered/a/app-1.0.2.zip');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: false, expected_sha256: '0'.repeat(64) });
    expect(run.stderr).toBe(
      'deltaglider: error: s3://tampered/a/app-1.0.2.zip does not match its SHA-256\n',
    );
  });
});

describe('object command errors', () => {
  const dg = (...args: string[]) =>
    runDeltaglider(['--endpoint-url', server.endpoint, ...args], env);

  it.each([
    [['cp', 'a.zip', 'b.zip'], 'one of source and destination must be s3://'],
    [['cp', '/etc', 's3://flow/x/'], 'is a directory: use -r'],
    [['cp', '--max-ratio', '2', 'a.zip', 's3://flow/'], '--max-ratio must be a number from 0 to 1'],
    [['rm', 's3://flow/dir/'], 'names no file: use -r'],
    [['verify', 's3://flow'], 'names no file'],
    [['ls', 'flow'], 'is not an S3 URL'],
  ])('exits 2 for %j', async (args, message) => {
    const run = await dg(...args);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toContain(message);
  });

  it('refuses an upload onto reference.bin with a usage error, changing nothing', async () => {
    await writeFile(join(work, 'reference.bin'), 'not a reference');
    const run = await dg('cp', join(work, 'reference.bin'), 's3://flow/r/');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('reference.bin is the deltaspace reference');
  });

  it('exits 1 naming what is missing: a key, a local file', async () => {
    const key = await dg('cp', 's3://flow/nothing.zip', join(work, 'x'));
    expect(key).toMatchObject({
      code: 1,
      stderr: 'deltaglider: error: s3://flow/nothing.zip does not exist\n',
    });
    expect(await readdir(work)).not.toContain('x');
    const file = await dg('cp', join(work, 'missing.zip'), 's3://flow/');
    expect(file.code).toBe(1);
    expect(file.stderr).toBe(
      `deltaglider: error: ${join(work, 'missing.zip')}: no such file or directory\n`,
    );
  });

  it('names the package to install when DG_CODEC=xdelta3 and xdelta3 is missing', async () => {
    await writeFile(join(work, 'v0.zip'), new Uint8Array(1000).fill(1));
    const run = await runDeltaglider(
      ['--endpoint-url', server.endpoint, 'cp', join(work, 'v0.zip'), 's3://flow/nox/'],
      {
        ...env,
        DG_CODEC: 'xdelta3',
        DG_XDELTA3: 'xdelta3-is-not-here',
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^deltaglider: error: xdelta3-is-not-here is not installed or not on PATH; install it: apt-get install xdelta3/,
    );
  });
});
