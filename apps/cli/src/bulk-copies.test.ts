import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, testStoreAt, useS3TestBed } from './test-support/s3-test-bed.js';

// cp -r and rm -r as a user meets them: hostile keys, odd files, failures midway, wrong targets.

const bed = useS3TestBed();
let work: string;
const env = testCredentialsEnv;
const dg = (...args: string[]) =>
  runDeltaglider(['--endpoint-url', bed.server.endpoint, ...args], env);
const store = () => testStoreAt(bed.server.endpoint);
const bytes = (text: string) => new TextEncoder().encode(text);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dg-bulk-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('cp -r download of hostile keys', () => {
  it('never writes outside the destination: refuses each such key, copies the rest, exits 1', async () => {
    await bed.server.createBucket('hostile');
    const s3 = store();
    const hostile = [
      'data/../../PWNED.txt',
      'data/sub/../../../PWNED2.txt',
      'data/./dot.txt',
      'data//etc/passwd-copy',
      'data/back\\slash.txt',
    ];
    for (const key of [...hostile, 'data/good.txt', 'data/sub/good2.txt'])
      await s3.put('hostile', key, bytes(key));
    const root = join(work, 'hostile');
    const destination = join(root, 'inside', 'out');
    await mkdir(destination, { recursive: true });

    const run = await dg('cp', '-r', 's3://hostile/data/', destination);

    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n').sort()).toEqual([
      `download: s3://hostile/data/good.txt to ${join(destination, 'good.txt')}`,
      `download: s3://hostile/data/sub/good2.txt to ${join(destination, 'sub', 'good2.txt')}`,
    ]);
    const refused = run.stderr.split('\n').filter((line) => line.includes('refusing'));
    expect(refused).toHaveLength(hostile.length);
    for (const key of hostile)
      expect(refused.some((line) => line.includes(`s3://hostile/${key}:`))).toBe(true);
    expect(run.stderr).toContain('deltaglider: error: 2 done, 5 failed\n');
    // Nothing anywhere but the two good files.
    expect((await readdir(root, { recursive: true })).sort()).toEqual([
      'inside',
      'inside/out',
      'inside/out/good.txt',
      'inside/out/sub',
      'inside/out/sub/good2.txt',
    ]);
  });

  it('refuses a single key whose name is ".." when copying into a directory', async () => {
    await bed.server.createBucket('dots');
    await store().put('dots', 'a/..', bytes('x'));
    const destination = join(work, 'dots', 'in');
    await mkdir(destination, { recursive: true });
    const run = await dg('cp', 's3://dots/a/..', `${destination}/`);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'deltaglider: error: refusing to download s3://dots/a/..: the key has a "." or ".." segment\n',
    );
    expect(await readdir(join(work, 'dots'))).toEqual(['in']);
  });

  it('skips folder markers instead of aborting', async () => {
    await bed.server.createBucket('markers');
    const s3 = store();
    await s3.put('markers', 'dir/sub/', new Uint8Array(0));
    await s3.put('markers', 'dir/sub/file.txt', bytes('file'));
    const destination = join(work, 'markers');
    const run = await dg('cp', '-r', 's3://markers/dir/', destination);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'deltaglider: warning: skipped s3://markers/dir/sub/: a folder marker\ndeltaglider: 1 done, 0 failed, 1 skipped\n',
    );
    expect(await readFile(join(destination, 'sub', 'file.txt'), 'utf8')).toBe('file');
  });
});

describe('cp -r upload of links and special files', () => {
  async function oddTree(): Promise<string> {
    const tree = await mkdtemp(join(work, 'odd-'));
    const outside = await mkdtemp(join(work, 'outside-'));
    await writeFile(join(outside, 'linked.txt'), 'linked');
    await mkdir(join(outside, 'linked-dir'));
    await writeFile(join(outside, 'linked-dir', 'inner.txt'), 'inner');
    await writeFile(join(tree, 'plain.txt'), 'plain');
    await symlink(join(outside, 'linked.txt'), join(tree, 'link-to-file.txt'));
    await symlink(join(outside, 'linked-dir'), join(tree, 'link-to-dir'));
    await symlink(join(outside, 'gone.txt'), join(tree, 'dangling.txt'));
    await symlink(tree, join(tree, 'loop'));
    execFileSync('mkfifo', [join(tree, 'pipe')]);
    await writeFile(join(tree, '.plain.txt.123-abc.dg-tmp'), 'half a download');
    return tree;
  }

  it('follows symlinks like aws s3 cp, skips dangling links, FIFOs, loops and *.dg-tmp, and says so', async () => {
    await bed.server.createBucket('links');
    const tree = await oddTree();
    const run = await dg('cp', '-r', tree, 's3://links/up/');
    expect(run.code).toBe(0);
    const keys = run.stdout
      .trim()
      .split('\n')
      .map((line) => /to (s3:\/\/\S+)/.exec(line)?.[1]);
    expect(keys.sort()).toEqual([
      's3://links/up/link-to-dir/inner.txt',
      's3://links/up/link-to-file.txt',
      's3://links/up/plain.txt',
    ]);
    const warnings = run.stderr.split('\n').filter((line) => line.includes('skipped'));
    expect(warnings).toEqual(
      expect.arrayContaining([
        `deltaglider: warning: skipped ${join(tree, 'dangling.txt')}: a dangling symlink`,
        `deltaglider: warning: skipped ${join(tree, 'pipe')}: a FIFO`,
        `deltaglider: warning: skipped ${join(tree, '.plain.txt.123-abc.dg-tmp')}: an unfinished download (*.dg-tmp)`,
        `deltaglider: warning: skipped ${join(tree, 'loop')}: a symlink to a directory already copied (a loop)`,
      ]),
    );
    expect(run.stderr).toContain('deltaglider: 3 done, 0 failed, 4 skipped\n');
  });

  it('skips every symlink with --no-follow-symlinks', async () => {
    await bed.server.createBucket('nolinks');
    const tree = await oddTree();
    const run = await dg('cp', '-r', '--no-follow-symlinks', tree, 's3://nolinks/up/');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('deltaglider: 1 done, 0 failed, 6 skipped\n');
  });
});

describe('bulk commands report as they go', () => {
  it('checks every name before the first upload: a *.delta file in the tree uploads nothing (exit 2)', async () => {
    await bed.server.createBucket('names');
    const tree = await mkdtemp(join(work, 'names-'));
    await writeFile(join(tree, 'a.zip'), 'a');
    await writeFile(join(tree, 'b.delta'), 'b');
    const run = await dg('cp', '-r', tree, 's3://names/');
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'deltaglider: usage error: refusing to upload to b.delta: .delta names are DeltaGlider deltas',
    );
    expect((await dg('ls', '-r', 's3://names')).stdout).toBe('');
  });

  it('continues past a file whose upload fails, then exits 1 with a summary', async () => {
    await bed.server.createBucket('partial');
    const tree = await mkdtemp(join(work, 'partial-'));
    for (const name of ['a.txt', 'b.txt', 'c.txt']) await writeFile(join(tree, name), name);
    bed.proxy.setRules([{ type: 'PUT', path: /\/partial\/b\.txt$/, fault: 'access-denied' }]);
    try {
      const run = await runDeltaglider(
        ['--endpoint-url', bed.proxy.endpoint, 'cp', '-r', tree, 's3://partial/'],
        env,
      );
      expect(run.code).toBe(1);
      // Files go in parallel: lines come in the order they finish.
      expect(run.stdout.trim().split('\n').sort()).toEqual([
        `upload: ${join(tree, 'a.txt')} to s3://partial/a.txt  (stored direct, 5 bytes)`,
        `upload: ${join(tree, 'c.txt')} to s3://partial/c.txt  (stored direct, 5 bytes)`,
      ]);
      expect(run.stderr).toBe(
        `deltaglider: failed: ${join(tree, 'b.txt')}: access denied (PutObject s3://partial/b.txt): AccessDenied\n` +
          'deltaglider: error: 2 done, 1 failed\n',
      );
    } finally {
      bed.proxy.setRules([]);
    }
  });

  it('rm -r prints each deletion and ends with a summary', async () => {
    await bed.server.createBucket('removal');
    const s3 = store();
    for (const key of ['x/1.txt', 'x/2.txt']) await s3.put('removal', key, bytes(key));
    const run = await dg('rm', '-r', 's3://removal/x/');
    expect(run).toMatchObject({
      code: 0,
      stdout: 'delete: s3://removal/x/1.txt\ndelete: s3://removal/x/2.txt\n',
      stderr: 'deltaglider: 2 done, 0 failed\n',
    });
  });
});

describe('clear answers for wrong targets', () => {
  it('refuses to cp a bucket or directory to a file (exit 2), instead of writing the listing', async () => {
    await bed.server.createBucket('wrong');
    await store().put('wrong', 'a.txt', bytes('a'));
    for (const source of ['s3://wrong/', 's3://wrong', 's3://wrong/dir/']) {
      const run = await dg('cp', source, join(work, 'wrong-out.txt'));
      expect(run.code).toBe(2);
      expect(run.stderr.split('\n')[0]).toBe(
        `deltaglider: usage error: ${source} names a directory, not a file: use -r to download it`,
      );
    }
    await expect(readFile(join(work, 'wrong-out.txt'))).rejects.toThrow();
  });

  it('says rm of reference.bin or .deltaglider/ is refused (exit 2), not missing', async () => {
    await bed.server.createBucket('internal');
    await dg('cp', join(work, '..', 'not-there'), 's3://internal/');
    for (const key of ['app/reference.bin', '.deltaglider/stats_quick.json']) {
      const run = await dg('rm', `s3://internal/${key}`);
      expect(run.code).toBe(2);
      expect(run.stderr.split('\n')[0]).toMatch(
        new RegExp(`^deltaglider: usage error: refusing to remove ${key.replace('.', '\\.')}: `),
      );
    }
  });

  it('names the delta and the codec when a delta is garbage; verify prints valid: false with the reason', async () => {
    await bed.server.createBucket('garbage');
    const files = join(work, 'garbage');
    await mkdir(files, { recursive: true });
    const archive = new Uint8Array(200_000).map((_, index) => (index * 7919) % 251);
    await writeFile(join(files, 'app-1.zip'), archive);
    archive[100] = 1;
    await writeFile(join(files, 'app-2.zip'), archive);
    await dg('cp', join(files, 'app-1.zip'), 's3://garbage/a/');
    await dg('cp', join(files, 'app-2.zip'), 's3://garbage/a/');
    const s3 = store();
    const delta = await s3.head('garbage', 'a/app-2.zip.delta');
    await s3.put('garbage', 'a/app-2.zip.delta', bytes('garbage'), { metadata: delta!.metadata });

    const download = await dg('cp', 's3://garbage/a/app-2.zip', join(files, 'out.zip'));
    expect(download.code).toBe(1);
    expect(download.stderr).toMatch(
      /^deltaglider: error: delta s3:\/\/garbage\/a\/app-2\.zip\.delta is corrupt \(xdelta3 decode failed: .+\)\n$/,
    );
    const verify = await dg('verify', 's3://garbage/a/app-2.zip');
    expect(verify.code).toBe(1);
    expect(JSON.parse(verify.stdout)).toMatchObject({
      bucket: 'garbage',
      key: 'a/app-2.zip',
      valid: false,
      reason: expect.stringContaining('delta s3://garbage/a/app-2.zip.delta is corrupt'),
    });
    const missing = await dg('verify', 's3://garbage/a/none.zip');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({
      valid: false,
      reason: 's3://garbage/a/none.zip does not exist',
    });
  });
});
