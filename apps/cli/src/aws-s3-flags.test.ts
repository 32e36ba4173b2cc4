import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, testStoreAt, useS3TestBed } from './test-support/s3-test-bed.js';

// Scripts written for `aws s3` pass these flags; each does here what it does there, against the
// S3 test server.

const bed = useS3TestBed();
let work: string;

const dg = (...args: string[]) =>
  runDeltaglider(['--endpoint-url', bed.server.endpoint, ...args], testCredentialsEnv);

/** Every key in a bucket, as stored. */
async function storedKeys(bucket: string): Promise<string[]> {
  const page = await testStoreAt(bed.server.endpoint).list(bucket, {});
  return page.objects.map((object) => object.key).sort();
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dg-aws-flags-'));
  const tree = join(work, 'tree');
  await mkdir(join(tree, 'logs'), { recursive: true });
  await mkdir(join(tree, 'src'), { recursive: true });
  await writeFile(join(tree, 'src', 'main.ts'), 'main');
  await writeFile(join(tree, 'src', 'main.test.ts'), 'test');
  await writeFile(join(tree, 'logs', 'today.log'), 'log');
  await writeFile(join(tree, 'README.md'), 'readme');
  for (const bucket of ['flags', 'dry', 'pipes', 'filters']) await bed.server.createBucket(bucket);
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('--exclude and --include, with aws s3 pattern rules', () => {
  it('cp -r uploads what the filters let through, later filters winning', async () => {
    const run = await dg(
      'cp',
      '-r',
      join(work, 'tree'),
      's3://filters/up/',
      '--exclude',
      '*',
      '--include',
      '*.ts',
      '--exclude',
      '*.test.ts',
    );
    expect(run.stderr).toBe('deltaglider: 1 done, 0 failed\n');
    expect(run.code).toBe(0);
    expect(await storedKeys('filters')).toEqual(['up/src/main.ts']);
  });

  it('ls and rm -r match the key below the prefix named', async () => {
    const upload = await dg('cp', '-r', join(work, 'tree'), 's3://filters/all/');
    expect(upload.code).toBe(0);
    const listed = await dg('ls', '-r', 's3://filters/all/', '--exclude', 'src/*');
    expect(listed.stdout).toContain('all/README.md');
    expect(listed.stdout).toContain('all/logs/today.log');
    expect(listed.stdout).not.toContain('main');

    const removed = await dg(
      'rm',
      '-r',
      's3://filters/all/',
      '--exclude',
      '*',
      '--include',
      '*.log',
    );
    expect(removed.stdout).toBe('delete: s3://filters/all/logs/today.log\n');
    expect(removed.code).toBe(0);
    expect(await storedKeys('filters')).toEqual([
      'all/README.md',
      'all/src/main.test.ts',
      'all/src/main.ts',
      'up/src/main.ts',
    ]);
  });

  it('cp -r downloads only what the filters let through', async () => {
    const back = join(work, 'filtered-back');
    const run = await dg('cp', '-r', 's3://filters/all/', back, '--exclude', '*.md');
    expect(run.code).toBe(0);
    expect((await readdir(back, { recursive: true })).sort()).toEqual([
      'src',
      'src/main.test.ts',
      'src/main.ts',
    ]);
  });
});

describe('cp --dryrun', () => {
  it('prints every upload it would do, and uploads nothing', async () => {
    const run = await dg('cp', '-r', '--dryrun', join(work, 'tree'), 's3://dry/app/');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      `(dryrun) upload: ${join(work, 'tree', 'README.md')} to s3://dry/app/README.md`,
      `(dryrun) upload: ${join(work, 'tree', 'logs', 'today.log')} to s3://dry/app/logs/today.log`,
      `(dryrun) upload: ${join(work, 'tree', 'src', 'main.test.ts')} to s3://dry/app/src/main.test.ts`,
      `(dryrun) upload: ${join(work, 'tree', 'src', 'main.ts')} to s3://dry/app/src/main.ts`,
    ]);
    const single = await dg('cp', '--dryrun', join(work, 'tree', 'README.md'), 's3://dry/one/');
    expect(single.stdout).toBe(
      `(dryrun) upload: ${join(work, 'tree', 'README.md')} to s3://dry/one/README.md\n`,
    );
    expect(await storedKeys('dry')).toEqual([]);
  });

  it('prints every download it would do, and writes no file', async () => {
    await dg('cp', join(work, 'tree', 'README.md'), 's3://dry/real/README.md');
    const back = join(work, 'dry-back');
    const run = await dg('cp', '-r', '--dryrun', 's3://dry/real/', back);
    expect(run.stdout).toBe(
      `(dryrun) download: s3://dry/real/README.md to ${join(back, 'README.md')}\n`,
    );
    await expect(readdir(back)).rejects.toThrow(/ENOENT/);
  });
});

describe('quiet output', () => {
  it('--quiet prints nothing when all goes well; --only-show-errors keeps warnings and errors', async () => {
    const quiet = await dg('cp', '-r', '--quiet', join(work, 'tree'), 's3://flags/q/');
    expect(quiet).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const errorsOnly = await dg('rm', '-r', '--only-show-errors', 's3://flags/q/');
    expect(errorsOnly).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await storedKeys('flags')).toEqual([]);

    const failing = await dg('cp', '--quiet', join(work, 'no-such-file'), 's3://flags/x');
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/^deltaglider: .*no-such-file/);
  });

  it('--no-progress is accepted by cp', async () => {
    const run = await dg('cp', '-r', '--no-progress', join(work, 'tree'), 's3://flags/np/');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('upload: ');
  });
});

describe('cp - (standard input and output)', () => {
  it('uploads standard input to a key, and downloads a key to standard output', async () => {
    const text = 'piped release notes\n'.repeat(1000);
    const up = await runDeltaglider(
      ['--endpoint-url', bed.server.endpoint, 'cp', '-', 's3://pipes/notes/notes.txt'],
      testCredentialsEnv,
      text,
    );
    expect(up.stderr).toBe('');
    expect(up.stdout).toMatch(/^upload: - to s3:\/\/pipes\/notes\/notes\.txt/);
    const down = await dg('cp', 's3://pipes/notes/notes.txt', '-');
    expect(down).toMatchObject({ code: 0, stderr: '' });
    expect(down.stdout).toBe(text);
  });

  it('refuses - with a destination that names no key', async () => {
    const run = await runDeltaglider(
      ['--endpoint-url', bed.server.endpoint, 'cp', '-', 's3://pipes/notes/'],
      testCredentialsEnv,
      'x',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^deltaglider: usage error: cp - needs a whole key/);
  });
});

describe('ls with no target', () => {
  it('lists the buckets, as aws s3 ls does', async () => {
    const run = await dg('ls');
    expect(run.code).toBe(0);
    const names = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ').at(-1));
    expect(names).toEqual(expect.arrayContaining(['dry', 'filters', 'flags', 'pipes']));
    expect(run.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \w/m);
  });
});

describe('unknown options', () => {
  it('names the unknown option and the one meant, whatever else is missing', async () => {
    const misspelt = await dg('stats', '--detaled', 'flags');
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toBe(
      'deltaglider: usage error: unknown option --detaled (did you mean --detailed?)\n',
    );
    const alone = await dg('cp', '--dry-run', 'a', 's3://flags/a');
    expect(alone.stderr).toBe(
      'deltaglider: usage error: unknown option --dry-run (did you mean --dryrun?)\n',
    );
    const nothingNear = await dg('ls', '--zzzzzz', 's3://flags/');
    expect(nothingNear.stderr).toBe('deltaglider: usage error: unknown option --zzzzzz\n');
  });
});
