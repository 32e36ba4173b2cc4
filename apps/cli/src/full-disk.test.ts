import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, useS3TestBed } from './test-support/s3-test-bed.js';

// A full disk is a real one: a 2 MiB tmpfs (mounted as root, as CI runs) that a 4 MiB file
// cannot fit on. The command fails with one line naming the path, and leaves no partial file.

const bed = useS3TestBed();
let work: string;
let disk: string;
let bigFile: string;

/** Every file below `directory`, relative. */
async function filesBelow(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1))
    .sort();
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dg-full-'));
  disk = join(work, 'disk');
  await mkdir(disk);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk]);
  bigFile = join(work, 'app.zip');
  await writeFile(bigFile, randomBytes(4 * 1024 * 1024));
  await bed.server.createBucket('full');
});
afterAll(async () => {
  if (disk) execFileSync('umount', [disk]);
  await rm(work, { recursive: true, force: true });
});

describe('a full disk', () => {
  it('download: exit 1, one line naming the file, nothing partial left', async () => {
    const env = { ...testCredentialsEnv, DG_CACHE_DIR: join(work, 'cache') };
    const s3 = ['--endpoint-url', bed.server.endpoint];
    expect((await runDeltaglider([...s3, 'cp', bigFile, 's3://full/rel/'], env)).code).toBe(0);
    await mkdir(join(disk, 'downloads'));

    const run = await runDeltaglider(
      [...s3, 'cp', 's3://full/rel/app.zip', join(disk, 'downloads', 'app.zip')],
      env,
    );

    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(join(disk, 'downloads', 'app.zip'));
    expect(run.stderr).toContain('ENOSPC');
    expect(await filesBelow(disk)).toEqual([]);
  });

  it('file:// store: exit 1, one line naming the object and path, no temp file kept', async () => {
    await rm(join(disk, 'downloads'), { recursive: true, force: true });
    await mkdir(join(disk, 'store', 'bucket'), { recursive: true });
    const env = { ...testCredentialsEnv, DG_CACHE_DIR: join(work, 'cache-2') };

    const run = await runDeltaglider(
      ['--endpoint-url', `file://${join(disk, 'store')}`, 'cp', bigFile, 's3://bucket/rel/'],
      env,
    );

    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('s3://bucket/rel/');
    expect(run.stderr).toContain('ENOSPC');
    // Only the store's own marker may remain: no `~tmp/` leftovers, no half object.
    expect(
      (await filesBelow(join(disk, 'store'))).filter(
        (name) => !name.endsWith('~deltaglider-store'),
      ),
    ).toEqual([]);
  });
});
