import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestS3Server, type TestS3Server } from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testStoreAt } from './test-support/s3-test-bed.js';

// Stats that never mislead: a directory whose reference.bin is gone, seen by every mode.

let server: TestS3Server;
let work: string;
const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
const dg = (...args: string[]) =>
  runDeltaglider(['--endpoint-url', server.endpoint, ...args], {
    ...env,
    DG_CACHE_DIR: join(work, 'cache'),
  });

beforeAll(async () => {
  server = await startTestS3Server();
  work = await mkdtemp(join(tmpdir(), 'dg-honest-'));
  await server.createBucket('broken');
  const base = new Uint8Array(300_000).map(
    (_, index) => (Math.imul(index, 2654435761) >>> 9) & 255,
  );
  for (const directory of ['app', 'lib']) {
    for (const version of [1, 2, 3]) {
      const bytes = Uint8Array.from(base);
      bytes.fill(version, 1000 * version, 1000 * version + 500);
      const file = join(work, `${directory}-${version}.zip`);
      await writeFile(file, bytes);
      expect((await dg('cp', file, `s3://broken/${directory}/`)).code).toBe(0);
    }
  }
  // Gone by hand, by a lifecycle rule, or by a race: lib's three deltas cannot be rebuilt.
  await testStoreAt(server.endpoint).delete('broken', 'lib/reference.bin');
});
afterAll(async () => {
  await server.stop();
  await rm(work, { recursive: true, force: true });
});

describe('deltas whose reference.bin is gone', () => {
  it('every mode reports them apart, agrees on every listing number, and warns naming the directory', async () => {
    const results = [];
    for (const mode of [[], ['--sampled'], ['--detailed']]) {
      const run = await dg('stats', 'broken', '--json', '--no-cache', ...mode);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('deltaglider: warning: s3://broken/lib/ has 3 delta(s) (');
      expect(run.stderr).toContain(
        'but no reference.bin: they cannot be rebuilt and are not counted; restore lib/reference.bin from a backup, or remove them with deltaglider rm -r s3://broken/lib/',
      );
      results.push(JSON.parse(run.stdout));
    }
    for (const stats of results) {
      expect(stats).toMatchObject({
        schema_version: 2,
        object_count: 3,
        delta_objects: 3,
        unrecoverable_deltas: 3,
        unrecoverable_deltaspaces: [{ deltaspace: 'lib', deltas: 3 }],
        deltaspace_health: { no_reference: 1 },
        incomplete: false,
      });
    }
    const listingNumbers = ({
      object_count,
      compressed_size,
      unrecoverable_delta_bytes,
    }: never) => ({
      object_count,
      compressed_size,
      unrecoverable_delta_bytes,
    });
    expect(listingNumbers(results[1] as never)).toEqual(listingNumbers(results[0] as never));
    expect(listingNumbers(results[2] as never)).toEqual(listingNumbers(results[0] as never));
  });

  it('keeps warning on a cache hit, and --by-deltaspace shows the directory as without reference', async () => {
    await dg('stats', 'broken', '--by-deltaspace');
    const hit = await dg('stats', 'broken', '--by-deltaspace');
    expect(hit.stdout).toContain('cache hit');
    expect(hit.stderr).toContain('s3://broken/lib/ has 3 delta(s)');
    expect(hit.stdout).toMatch(/lib\s+3 lost.*NO REFERENCE/);
    expect(hit.stdout).toContain('3 unrecoverable delta(s)');
  });

  it('ls marks each of them, deciding from the listing itself (no HEAD)', async () => {
    server.resetRequests();
    const listing = await dg('ls', '-r', 's3://broken/');
    const marked = listing.stdout
      .split('\n')
      .filter((line) => line.endsWith('(unrecoverable: no reference.bin in its directory)'));
    expect(marked.map((line) => line.split(/\s+/)[3])).toEqual([
      'lib/lib-1.zip',
      'lib/lib-2.zip',
      'lib/lib-3.zip',
    ]);
    expect(server.requestCounts().HEAD ?? 0).toBe(0);

    // A prefix that leaves reference.bin out of the listing: one HEAD decides the directory.
    server.resetRequests();
    const partial = await dg('ls', 's3://broken/lib/lib-');
    expect(
      partial.stdout
        .trim()
        .split('\n')
        .every((line) => line.includes('unrecoverable')),
    ).toBe(true);
    expect(server.requestCounts().HEAD).toBe(1);
  });
});

describe('a file:// directory that is not a store', () => {
  it('is refused (exit 1) and nothing is written into it, unless adopted', async () => {
    const root = await mkdtemp(join(work, 'not-a-store-'));
    await mkdir(join(root, 'documents', 'taxes'), { recursive: true });
    await writeFile(join(root, 'documents', 'taxes', '2025.pdf'), 'private');
    const local = (...args: string[]) =>
      runDeltaglider(['--endpoint-url', `file://${root}`, ...args], { HOME: work });
    const refused = await local('stats', 'documents');
    expect(refused).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `deltaglider: error: ${join(root, 'documents')} is not a DeltaGlider store: it holds files the tool did not write ("taxes/2025.pdf"); use an empty directory, or --adopt-directory to keep ours beside them\n`,
    });
    expect(await readdir(join(root, 'documents'), { recursive: true })).toEqual([
      'taxes',
      'taxes/2025.pdf',
    ]);
    const adopted = await local('--adopt-directory', 'stats', 'documents', '--json');
    expect(adopted.code).toBe(0);
    expect(JSON.parse(adopted.stdout).object_count).toBe(0);
  });

  it('one damaged object file is named and skipped; other keys still work; rm removes it', async () => {
    const root = await mkdtemp(join(work, 'damaged-'));
    await mkdir(join(root, 'store'));
    const local = (...args: string[]) =>
      runDeltaglider(['--endpoint-url', `file://${root}`, ...args], { HOME: work });
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      await writeFile(join(work, name), name);
      expect((await local('cp', join(work, name), 's3://store/')).code).toBe(0);
    }
    const damaged = join(root, 'store', 'b.txt~o');
    await writeFile(damaged, 'a crash halfway through a copy');

    const stats = await local('stats', 'store', '--json', '--no-cache');
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout).object_count).toBe(2);
    expect(stats.stderr).toContain(
      `skipped while listing: s3://store/b.txt is damaged: ${damaged}`,
    );
    const listing = await local('ls', 's3://store/');
    expect(
      listing.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/).at(-1)),
    ).toEqual(['a.txt', 'c.txt']);
    expect((await local('cp', 's3://store/c.txt', join(work, 'c-back.txt'))).code).toBe(0);
    const read = await local('cp', 's3://store/b.txt', join(work, 'b-back.txt'));
    expect(read.code).toBe(1);
    expect(read.stderr).toContain(damaged);
    expect(await local('rm', 's3://store/b.txt')).toMatchObject({
      code: 0,
      stdout: 'delete: s3://store/b.txt\n',
    });
  });
});
