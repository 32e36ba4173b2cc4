import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { factsKeyOf, listAllObjects, type ObjectStore } from '@deltaglider/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDeltaglider, startDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, testStoreAt, useS3TestBed } from './test-support/s3-test-bed.js';

// `deltaglider gc` as users run it, and processes killed right after a scratch write: the
// conditional-write probe's, and gc's own tombstone. Nothing a command that exited 0 stored may
// be lost, and the next runs clean up.

const bed = useS3TestBed();
let work: string;
let store: ObjectStore;
const env = () => ({ ...testCredentialsEnv, DG_CACHE_DIR: join(work, 'cache') });
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const archive = (seed: number) =>
  new Uint8Array(400_000).map((_, index) =>
    index % 5000 === seed ? seed : (Math.imul(index, 2654435761) >>> 13) & 255,
  );
const direct = (...args: string[]) =>
  runDeltaglider(['--endpoint-url', bed.server.endpoint, ...args], env());
const viaProxy = (...args: string[]) => ['--endpoint-url', bed.proxy.endpoint, ...args];

async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of listAllObjects(store, bucket, { prefix }))
    keys.push(...page.map((object) => object.key));
  return keys;
}

async function expectIntact(bucket: string, key: string, seed: number): Promise<void> {
  const out = join(work, `check-${seed}.zip`);
  const run = await direct('cp', `s3://${bucket}/${key}`, out);
  expect(run.stderr).toBe('');
  expect(sha256(await readFile(out))).toBe(sha256(archive(seed)));
}

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
    await delay(20);
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dg-gc-'));
  store = testStoreAt(bed.server.endpoint);
  for (const seed of [1, 2, 3, 4]) await writeFile(join(work, `app-${seed}.zip`), archive(seed));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});
beforeEach(() => bed.proxy.setRules([]));

describe('deltaglider gc', () => {
  it('marks an unused reference, deletes it on a later run past --older-than, and says so', async () => {
    await bed.server.createBucket('collect');
    await direct('cp', join(work, 'app-1.zip'), 's3://collect/rel/');
    const removed = await direct('rm', 's3://collect/rel/app-1.zip');
    expect(removed.stdout).toBe('delete: s3://collect/rel/app-1.zip.delta\n');
    expect(await keysUnder('collect', 'rel/')).toEqual(['rel/reference.bin']);

    const dry = await direct('gc', '--dryrun', 's3://collect/');
    expect(dry.stdout).toContain('(dryrun) mark: s3://collect/rel/reference.bin');
    const first = await direct('gc', 's3://collect/');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('mark: s3://collect/rel/reference.bin');
    expect(first.stderr).toBe('deltaglider: 0 deleted, 1 marked, 0 waiting, 0 failed\n');
    const early = await direct('gc', 'collect');
    expect(early.stdout).toContain(
      'wait: s3://collect/rel/reference.bin (marked less than 1d ago)',
    );
    await delay(1_100);
    const due = await direct('gc', '--older-than', '1s', 'collect');
    expect(due.stdout).toBe('delete: s3://collect/rel/reference.bin\n');
    expect(await keysUnder('collect', '')).toEqual([]);
  });

  it("deletes the listing facts of objects gone, past the grace period, and keeps the others'", async () => {
    await bed.server.createBucket('facts-gc');
    await direct('cp', '--listing-facts', 'on', join(work, 'app-1.zip'), 's3://facts-gc/rel/');
    await direct('cp', '--listing-facts', 'on', join(work, 'app-2.zip'), 's3://facts-gc/rel/');
    const kept = await keysUnder('facts-gc', '.dg/facts/');
    expect(kept).toHaveLength(2);
    const gone = factsKeyOf({
      storedKey: 'rel/deleted-by-the-proxy.zip.delta',
      storedEtag: '0123abcd',
      storedSize: 10,
      originalSize: 1000,
      originalEtag: 'abcd0123',
    })!;
    await store.put('facts-gc', gone, new Uint8Array(0));
    const young = await direct('gc', 's3://facts-gc/');
    expect(young.stdout).not.toContain(gone);
    await delay(1_100);
    const run = await direct('gc', '--older-than', '1s', 's3://facts-gc/');
    expect(run.stdout).toContain(`delete: s3://facts-gc/${gone}`);
    expect(await keysUnder('facts-gc', '.dg/facts/')).toEqual(kept);
  });

  it('refuses a grace period it cannot read (exit 2), naming the flag', async () => {
    const run = await direct('gc', '--older-than', 'soon', 'collect');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--older-than must be a duration like 30s, 15m, 12h or 1d/);
  });
});

describe('kill -9 right after a scratch write', () => {
  it('after the conditional-write probe PUT: the next cp works and gc removes the probe', async () => {
    await bed.server.createBucket('probed');
    // The probe's first PUT lands; its second (the one that must be refused) is held.
    bed.proxy.setRules([
      { type: 'PUT', path: /\.deltaglider\/probes\//, fault: 'delay', delayMs: 20_000, skip: 1 },
    ]);
    const { child, finished } = startDeltaglider(
      viaProxy('cp', join(work, 'app-1.zip'), 's3://probed/rel/'),
      env(),
    );
    await waitFor(
      () =>
        bed.proxy
          .seenRequests()
          .filter((request) => request.method === 'PUT' && request.url.includes('probes')).length >=
        2,
    );
    child.kill('SIGKILL');
    expect((await finished).signal).toBe('SIGKILL');
    bed.proxy.setRules([]);
    expect(await keysUnder('probed', '.deltaglider/probes/')).toHaveLength(1);

    for (const seed of [1, 2]) {
      const run = await direct('cp', join(work, `app-${seed}.zip`), 's3://probed/rel/');
      expect(run.code).toBe(0);
      await expectIntact('probed', `rel/app-${seed}.zip`, seed);
    }
    const gc = await direct('gc', '--older-than', '0s', 's3://probed/');
    expect(gc.code).toBe(0);
    expect(await keysUnder('probed', '.deltaglider/probes/')).toEqual([]);
  });

  it("after gc's tombstone PUT: uploads store whole meanwhile, and the next gc ends it", async () => {
    await bed.server.createBucket('retired');
    await direct('cp', join(work, 'app-1.zip'), 's3://retired/rel/');
    await direct('rm', 's3://retired/rel/app-1.zip');
    await direct('gc', 's3://retired/');
    // The run that would retire the reference is killed once its tombstone is down.
    bed.proxy.setRules([
      { type: 'HEAD', path: /\.deltaglider\/unreferenced\//, fault: 'delay', delayMs: 20_000 },
    ]);
    const { child, finished } = startDeltaglider(
      viaProxy('gc', '--older-than', '0s', 's3://retired/'),
      env(),
    );
    await waitFor(() =>
      bed.proxy
        .seenRequests()
        .some((request) => request.url.includes('unreferenced') && request.method === 'HEAD'),
    );
    child.kill('SIGKILL');
    await finished;
    bed.proxy.setRules([]);
    expect(await keysUnder('retired', '.deltaglider/retiring/')).toHaveLength(1);
    // rm -r of the whole bucket leaves gc's notes (and the reference) alone.
    expect((await direct('rm', '-r', 's3://retired/')).code).toBe(0);
    expect(await keysUnder('retired', '.deltaglider/retiring/')).toHaveLength(1);

    // The tombstone says a retirement may be under way: uploads do not rely on the reference.
    const upload = await direct('cp', join(work, 'app-2.zip'), 's3://retired/rel/');
    expect(upload.code).toBe(0);
    expect(upload.stdout).toMatch(/direct/);
    await expectIntact('retired', 'rel/app-2.zip', 2);

    // The upload cancelled the mark; the next run marks again and clears the tombstone, the
    // one after retires the reference.
    const next = await direct('gc', '--older-than', '0s', 's3://retired/');
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('mark: s3://retired/rel/reference.bin');
    expect(await keysUnder('retired', '.deltaglider/retiring/')).toEqual([]);
    const last = await direct('gc', '--older-than', '0s', 's3://retired/');
    expect(last.stdout).toContain('delete: s3://retired/rel/reference.bin');
    expect(await keysUnder('retired', '.deltaglider/')).toEqual([]);
    await expectIntact('retired', 'rel/app-2.zip', 2);
  });
});
