import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FACTS_PREFIX, listAllObjects, type ObjectStore, parseFactsKey } from '@deltaglider/core';
import { addProxyListingFacts, loadFixtureBucket } from '@deltaglider/test-fixtures';
import { startFaultProxy, startTestS3Server, type TestS3Server } from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, testStoreAt } from './test-support/s3-test-bed.js';

// A bucket as deltaglider_proxy 2.0 leaves it: the Python fixture plus a listing-facts entry
// under `.dg/facts/` for every delta. Before `.dg/` was internal, stats counted each entry as a
// user file (24 objects instead of 13) and `ls -r` listed them.

let server: TestS3Server;
let store: ObjectStore;
let work: string;
const env = testCredentialsEnv;
const onS3 = (...args: string[]) => ['--endpoint-url', server.endpoint, ...args];

async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of listAllObjects(store, bucket, { prefix }))
    keys.push(...page.map((object) => object.key));
  return keys;
}

/** A file stored in the bucket, downloaded to `file` with one byte changed: its next version. */
async function newVersionOf(url: string, file: string): Promise<Uint8Array> {
  const downloaded = await runDeltaglider(onS3('cp', url, file), env);
  expect(downloaded.code).toBe(0);
  const bytes = await readFile(file);
  bytes[100] = bytes[100]! ^ 0xff;
  await writeFile(file, bytes);
  return bytes;
}

beforeAll(async () => {
  server = await startTestS3Server();
  store = testStoreAt(server.endpoint);
  work = await mkdtemp(join(tmpdir(), 'dg-facts-'));
  await server.createBucket('proxied');
  await loadFixtureBucket(store, 'proxied');
  expect(await addProxyListingFacts(store, 'proxied')).toHaveLength(11);
});

afterAll(async () => {
  await server.stop();
  await rm(work, { recursive: true, force: true });
});

describe('a bucket deltaglider_proxy 2.0 keeps listing facts in', () => {
  it('counts no facts entry as a file, and detailed stats are exact with no HEAD', async () => {
    server.resetRequests();
    const run = await runDeltaglider(onS3('stats', 'proxied', '--detailed', '--json'), env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout);
    expect(stats).toMatchObject({
      object_count: 13,
      delta_objects: 11,
      direct_objects: 2,
      total_size: 873433,
      compressed_size: 202779,
      total_size_estimated: false,
      originals_from: { facts: 11, cache: 0, head: 0, estimate: 0 },
    });
    // The listing, the facts listing, the cache GET (a miss), the bucket's versioning and
    // Object Lock settings (asked before the first cache write), the cache PUT, and the day's
    // history point (GET, PUT); no HEAD.
    expect(server.requestCounts()).toEqual({ LIST: 2, GET: 2, OTHER: 2, PUT: 2 });
  });

  it('makes quick stats exact where facts cover every delta, and says so', async () => {
    const run = await runDeltaglider(onS3('stats', 'proxied', '--no-cache'), env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Objects\s+13\s+\(11 delta, 2 direct\)/);
    expect(run.stdout).toMatch(/Original\s+853 KiB\s+\(873,433 bytes\)\n/);
    expect(run.stdout).toContain('originals from 11 listing facts');
    expect(run.stdout).not.toContain('estimated');
    const table = await runDeltaglider(
      onS3('stats', 'proxied', '--no-cache', '--by-deltaspace'),
      env,
    );
    expect(table.stdout).toMatch(/Ratio\s+Estimated\s+Health/);
    expect(table.stdout).toMatch(/releases\/app\s+6\s.*\s0\s+excellent/);
    const json = await runDeltaglider(
      onS3('stats', 'proxied', '--no-cache', '--by-deltaspace', '--json'),
      env,
    );
    const app = JSON.parse(json.stdout).deltaspaces.find(
      (space: { deltaspace: string }) => space.deltaspace === 'releases/app',
    );
    expect(app.originals_from).toEqual({ facts: 6, cache: 0, head: 0, estimate: 0 });
  });

  it('answers an unchanged bucket from the cache with one LIST and one GET, facts unread', async () => {
    await runDeltaglider(onS3('stats', 'proxied', '--sampled'), env);
    server.resetRequests();
    const run = await runDeltaglider(onS3('stats', 'proxied', '--sampled', '--json'), env);
    expect(JSON.parse(run.stdout).cache.status).toBe('hit');
    expect(server.requestCounts()).toEqual({ LIST: 1, GET: 1 });
  });

  it('keeps a cache valid when facts arrive late or are collected', async () => {
    await server.createBucket('late');
    await loadFixtureBucket(store, 'late');
    const first = await runDeltaglider(onS3('stats', 'late', '--detailed', '--json'), env);
    expect(JSON.parse(first.stdout).originals_from).toMatchObject({ head: 11, facts: 0 });
    const facts = await addProxyListingFacts(store, 'late');
    const afterArrival = await runDeltaglider(onS3('stats', 'late', '--detailed', '--json'), env);
    expect(JSON.parse(afterArrival.stdout).cache.status).toBe('hit');
    await store.delete('late', facts[0]!);
    const afterCollection = await runDeltaglider(
      onS3('stats', 'late', '--detailed', '--json'),
      env,
    );
    expect(JSON.parse(afterCollection.stdout).cache.status).toBe('hit');
  });

  it('HEADs only the deltas whose entry is missing or for another version', async () => {
    await server.createBucket('partial');
    await loadFixtureBucket(store, 'partial');
    const facts = await addProxyListingFacts(store, 'partial');
    await store.delete('partial', facts[0]!);
    // An entry for another ETag of the same key (an overwritten version) never applies.
    const stale = parseFactsKey(facts[1]!)!;
    await store.delete('partial', facts[1]!);
    await store.put(
      'partial',
      `${facts[1]!.slice(0, facts[1]!.indexOf('!!'))}!!1.0123abcd.${stale.storedSize}.5.0123abcd`,
      new Uint8Array(0),
    );
    server.resetRequests();
    const run = await runDeltaglider(onS3('stats', 'partial', '--detailed', '--json'), env);
    const stats = JSON.parse(run.stdout);
    expect(stats.total_size).toBe(873433);
    expect(stats.originals_from).toEqual({ facts: 9, cache: 0, head: 2, estimate: 0 });
    expect(server.requestCounts().HEAD).toBe(2);
  });

  it('warns, naming the key, when an entry contradicts the metadata, and the metadata wins', async () => {
    await server.createBucket('contradicted');
    await loadFixtureBucket(store, 'contradicted');
    // The companion learns every delta's dg-file-size first.
    await runDeltaglider(onS3('stats', 'contradicted', '--detailed'), env);
    const facts = await addProxyListingFacts(store, 'contradicted', {
      originalSize: (key, size) => (key.endsWith('1.0.1.zip.delta') ? size + 1000 : size),
    });
    expect(facts.length).toBe(11);
    // One delta without facts makes the call read the companion.
    await store.delete('contradicted', facts.find((key) => key.includes('1.0.2'))!);
    const run = await runDeltaglider(
      onS3('stats', 'contradicted', '--detailed', '--refresh', '--json'),
      env,
    );
    const stats = JSON.parse(run.stdout);
    expect(stats.total_size).toBe(873433);
    expect(run.stderr).toMatch(/1\.0\.1\.zip\.delta: its listing-facts entry says \d+ bytes/);
  });

  it('hides .dg/ from ls, and never downloads or removes it as a user file', async () => {
    const listed = await runDeltaglider(onS3('ls', '-r', 's3://proxied/'), env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain('.dg');
    const top = await runDeltaglider(onS3('ls', 's3://proxied/'), env);
    expect(top.stdout).not.toContain('.dg');
    const downloaded = await runDeltaglider(
      onS3('cp', '-r', 's3://proxied/', join(work, 'all')),
      env,
    );
    expect(downloaded.code).toBe(0);
    expect(downloaded.stdout).not.toContain('.dg/');
    const refused = await runDeltaglider(
      onS3('cp', join(work, 'x.txt'), 's3://proxied/.dg/x'),
      env,
    );
    expect(refused.code).not.toBe(0);
  });
});

describe('objects the proxy 2.0 wrote', () => {
  it('download and verify with metadata we do not know (dg-sketch)', async () => {
    await server.createBucket('sketched');
    const objects = await loadFixtureBucket(store, 'sketched');
    for (const object of objects.filter((o) => o.key.startsWith('releases/lib/'))) {
      const stored = await store.get('sketched', object.key);
      const chunks: Uint8Array[] = [];
      for await (const chunk of stored!.body) chunks.push(chunk);
      await store.put('sketched', object.key, Buffer.concat(chunks), {
        contentType: object.content_type,
        metadata: { ...object.metadata, 'dg-sketch': 'minhash:v1:0a1b2c3d4e5f' },
      });
    }
    const verified = await runDeltaglider(
      onS3('verify', 's3://sketched/releases/lib/lib-2.0.2.jar'),
      env,
    );
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    const target = join(work, 'lib-2.0.2.jar');
    const copied = await runDeltaglider(
      onS3('cp', 's3://sketched/releases/lib/lib-2.0.2.jar', target),
      env,
    );
    expect(copied.code).toBe(0);
    expect((await readFile(target)).length).toBe(67784);
    const stats = await runDeltaglider(onS3('stats', 'sketched', '--detailed', '--json'), env);
    expect(JSON.parse(stats.stdout).total_size).toBe(873433);
  });
});

describe('cp and rm keep the facts of what they change', () => {
  it('writes each delta entry in a bucket that holds facts, and rm deletes it', async () => {
    await server.createBucket('kept');
    await loadFixtureBucket(store, 'kept');
    await addProxyListingFacts(store, 'kept');
    const file = join(work, 'app-2.0.0.zip');
    // A new version of a release already in the bucket becomes a delta.
    const bytes = await newVersionOf('s3://kept/releases/app/app-1.0.1.zip', file);
    const uploaded = await runDeltaglider(onS3('cp', file, 's3://kept/releases/app/'), env);
    expect(uploaded.stderr).toBe('');
    expect(uploaded.code).toBe(0);
    const entries = (await keysUnder('kept', `${FACTS_PREFIX}releases/app/app-2.0.0.zip.delta!!`))
      .map((key) => parseFactsKey(key))
      .filter((fact) => fact !== undefined);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.originalSize).toBe(bytes.length);
    const stats = await runDeltaglider(onS3('stats', 'kept', '--detailed', '--json'), env);
    expect(JSON.parse(stats.stdout).originals_from).toMatchObject({ facts: 12, head: 0 });

    const removed = await runDeltaglider(onS3('rm', 's3://kept/releases/app/app-2.0.0.zip'), env);
    expect(removed.code).toBe(0);
    expect(await keysUnder('kept', `${FACTS_PREFIX}releases/app/app-2.0.0.zip`)).toEqual([]);
    const recursive = await runDeltaglider(onS3('rm', '-r', 's3://kept/releases/'), env);
    expect(recursive.code).toBe(0);
    expect(await keysUnder('kept', `${FACTS_PREFIX}releases/`)).toEqual([]);
    // Facts of what was not removed stay.
    expect((await keysUnder('kept', FACTS_PREFIX)).length).toBeGreaterThan(0);
  });

  it('leaves a bucket without facts alone under auto, and writes them with --listing-facts on', async () => {
    await server.createBucket('plain');
    const file = join(work, 'tool-1.0.0.tar.gz');
    await writeFile(file, new Uint8Array(50_000).fill(7));
    await runDeltaglider(onS3('cp', file, 's3://plain/tools/'), env);
    expect(await keysUnder('plain', '.dg/')).toEqual([]);
    await writeFile(file, new Uint8Array(50_000).fill(8));
    const on = await runDeltaglider(
      onS3('cp', '--listing-facts', 'on', file, 's3://plain/tools/tool-1.0.1.tar.gz'),
      env,
    );
    expect(on.code).toBe(0);
    expect(await keysUnder('plain', FACTS_PREFIX)).toHaveLength(1);
  });

  it('still uploads (exit 0, one warning) when the facts PUT fails, and stats HEAD that delta', async () => {
    await server.createBucket('refused');
    await loadFixtureBucket(store, 'refused');
    await addProxyListingFacts(store, 'refused');
    const proxy = await startFaultProxy(server, [
      { fault: 'access-denied', type: 'PUT', path: /\/refused\/\.dg\/facts\// },
    ]);
    try {
      const file = join(work, 'tool-0.9.2.tar.gz');
      await newVersionOf('s3://refused/tool-0.9.1.tar.gz', file);
      const run = await runDeltaglider(
        ['--endpoint-url', proxy.endpoint, 'cp', file, 's3://refused/'],
        env,
      );
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(
        /warning: listing facts of tool-0\.9\.2\.tar\.gz\.delta not updated/,
      );
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      const stats = await runDeltaglider(onS3('stats', 'refused', '--detailed', '--json'), env);
      expect(JSON.parse(stats.stdout).originals_from).toMatchObject({ facts: 11, head: 1 });
    } finally {
      await proxy.stop();
    }
  });

  it('rejects a listing-facts setting it does not know (exit 2)', async () => {
    const run = await runDeltaglider(
      onS3('ls', '--listing-facts', 'sometimes', 's3://plain/'),
      env,
    );
    expect(run.code).toBe(2);
  });
});
