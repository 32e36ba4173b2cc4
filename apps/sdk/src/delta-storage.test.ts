import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  CodecError,
  collectGarbage,
  IntegrityError,
  ObjectNotFoundError,
  type ObjectStore,
  ReservedKeyError,
  removeObject,
} from '@deltaglider/core';
import { readBody } from '@deltaglider/core/adapter-kit';
import { createFaultyObjectStore } from '@deltaglider/object-store-contract';
import { loadFixtureBucket, readFixtureIndex } from '@deltaglider/test-fixtures';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVcdiffCodec } from './codecs/vcdiff-delta-codec.js';
import { createClient, type DeltaGliderClient } from './create-client.js';
import { createDirectoryReferenceCache } from './reference-cache.js';
import { archiveVersions } from './test-support/archive-versions.js';
import {
  fsBackend,
  memoryBackend,
  type StatsBackend,
  s3Backend,
} from './test-support/stats-backends.js';

// cp, ls, rm and verify through the SDK, on memory, the real S3 server and a local directory,
// and interop with buckets the Python DeltaGlider wrote.

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const versions = archiveVersions(6);
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-delta-'));
  for (const [index, bytes] of versions.entries())
    await writeFile(join(scratch, `app-1.0.${index}.zip`), bytes);
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function allKeys(store: ObjectStore, bucket: string): Promise<string[]> {
  const page = await store.list(bucket);
  return page.objects.map((object) => object.key);
}

describe.each([memoryBackend(), s3Backend(), fsBackend()])(
  'delta storage on $name',
  (backend: StatsBackend) => {
    let store: ObjectStore;
    let bucket: string;
    let client: DeltaGliderClient;
    let downloads: string;

    beforeAll(() => backend.start());
    afterAll(() => backend.stop());
    beforeEach(async () => {
      ({ store, bucket } = await backend.newBucket());
      downloads = await mkdtemp(join(scratch, 'downloads-'));
      client = createClient({
        store,
        referenceCache: createDirectoryReferenceCache(join(downloads, 'cache')),
      });
    });

    it('rebuilds every object of the Python fixture bucket to its recorded SHA-256', async () => {
      const fixture = await loadFixtureBucket(store, bucket);
      for (const object of fixture.filter((entry) => !entry.key.endsWith('reference.bin'))) {
        const userKey = object.key.replace(/\.delta$/, '');
        const result = await client.download(bucket, userKey, `${downloads}/`);
        expect(sha256(await readFile(result.path))).toBe(object.metadata['dg-file-sha256']);
        expect(result.storedAs).toBe(object.key.endsWith('.delta') ? 'delta' : 'direct');
        expect((await client.verify(bucket, object.key)).valid).toBe(true);
      }
    });

    it('stores six versions as one reference plus deltas: ls shows six names, detailed stats count them, downloads are identical, rm -r empties', async () => {
      const results = [];
      for (const index of versions.keys()) {
        results.push(
          await client.upload(join(scratch, `app-1.0.${index}.zip`), bucket, 'releases/app/'),
        );
      }
      expect(results.map((result) => result.storedAs)).toEqual([
        'reference',
        'delta',
        'delta',
        'delta',
        'delta',
        'delta',
      ]);
      expect(results.every((result) => result.storedSize < 20_000)).toBe(true);
      expect(await allKeys(store, bucket)).toEqual([
        ...versions.map((_, index) => `releases/app/app-1.0.${index}.zip.delta`),
        'releases/app/reference.bin',
      ]);

      const names: string[] = [];
      for await (const page of client.list(bucket, { prefix: 'releases/app/' }))
        names.push(...page.objects.map((o) => o.key));
      expect(names).toEqual(versions.map((_, index) => `releases/app/app-1.0.${index}.zip`));

      const stats = await client.getBucketStats(bucket, { mode: 'detailed' });
      expect(stats).toMatchObject({
        objectCount: 6,
        deltaObjects: 6,
        totalSize: versions.reduce((sum, bytes) => sum + bytes.byteLength, 0),
        totalSizeEstimated: false,
      });
      expect(stats.averageCompressionRatio).toBeGreaterThan(0.8);

      for (const [index, bytes] of versions.entries()) {
        const { path } = await client.download(
          bucket,
          `releases/app/app-1.0.${index}.zip`,
          join(downloads, `v${index}`),
        );
        expect(Buffer.compare(await readFile(path), Buffer.from(bytes))).toBe(0);
      }

      const removed = await client.removeRecursive(bucket, '');
      expect(removed.failed).toEqual([]);
      // rm -r leaves the reference; gc frees it (marked by one run, deleted by a later one).
      expect(await allKeys(store, bucket)).toEqual(['releases/app/reference.bin']);
      await client.collectGarbage(bucket, '', { olderThanMs: 0 });
      await client.collectGarbage(bucket, '', { olderThanMs: 0 });
      expect(await allKeys(store, bucket)).toEqual([]);
    }, 60_000);

    it('lists past the 1000-key page: every name once, references and caches hidden', async () => {
      const keys = Array.from(
        { length: 1203 },
        (_, index) => `many/f${String(index).padStart(4, '0')}.txt`,
      );
      for (let start = 0; start < keys.length; start += 50) {
        await Promise.all(
          keys.slice(start, start + 50).map((key) => store.put(bucket, key, new Uint8Array([1]))),
        );
      }
      await store.put(bucket, 'many/reference.bin', new Uint8Array([2]));
      await store.put(bucket, '.deltaglider/stats_quick.json', new Uint8Array([3]));
      const listed: string[] = [];
      let pages = 0;
      for await (const page of client.list(bucket, { recursive: true })) {
        pages++;
        listed.push(...page.objects.map((object) => object.key));
      }
      expect(pages).toBe(2);
      expect(listed).toEqual(keys);
      const top = [];
      for await (const page of client.list(bucket)) top.push(...page.directories);
      expect(top).toEqual(['many/']);
    }, 60_000);

    it('writes the metadata keys and value shapes the Python tool writes', async () => {
      const fixture = await readFixtureIndex('python-6.1.2-bucket-a');
      const keysOf = (key: string) =>
        Object.keys(fixture.find((o) => o.key === key)!.metadata).sort();
      await client.upload(join(scratch, 'app-1.0.0.zip'), bucket, 'releases/app/');
      await client.upload(join(scratch, 'app-1.0.1.zip'), bucket, 'releases/app/');
      await writeFile(join(scratch, 'readme.txt'), 'hello');
      await client.upload(join(scratch, 'readme.txt'), bucket, 'docs/readme.txt');

      const reference = await store.head(bucket, 'releases/app/reference.bin');
      const zeroDiff = await store.head(bucket, 'releases/app/app-1.0.0.zip.delta');
      const delta = await store.head(bucket, 'releases/app/app-1.0.1.zip.delta');
      const direct = await store.head(bucket, 'docs/readme.txt');
      expect(Object.keys(reference!.metadata).sort()).toEqual(keysOf('releases/app/reference.bin'));
      expect(Object.keys(zeroDiff!.metadata).sort()).toEqual(
        keysOf('releases/app/app-1.0.0.zip.delta'),
      );
      expect(Object.keys(delta!.metadata).sort()).toEqual(
        keysOf('releases/app/app-1.0.1.zip.delta'),
      );
      expect(Object.keys(direct!.metadata).sort()).toEqual(keysOf('docs/readme.txt'));

      expect(delta!.metadata).toMatchObject({
        'dg-tool': expect.stringMatching(/^deltaglider\/\d+\.\d+\.\d+$/),
        'dg-original-name': 'app-1.0.1.zip',
        'dg-file-sha256': sha256(versions[1]!),
        'dg-file-size': String(versions[1]!.byteLength),
        'dg-created-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
        'dg-ref-key': 'releases/app/reference.bin',
        'dg-ref-sha256': sha256(versions[0]!),
        'dg-delta-size': String(delta!.size),
        'dg-delta-cmd': 'xdelta3 -e -3 -s reference.bin app-1.0.1.zip app-1.0.1.zip.delta',
      });
      expect(zeroDiff!.metadata['dg-note']).toBe('zero-diff (reference identical)');
      expect(reference!.metadata).toMatchObject({
        'dg-note': 'reference',
        'dg-source-name': 'app-1.0.0.zip',
      });
      expect(direct!.metadata).toMatchObject({ 'dg-compression': 'none', 'dg-file-size': '5' });
    });

    it('writes deltas the stock xdelta3 -d decodes', async () => {
      await client.upload(join(scratch, 'app-1.0.0.zip'), bucket, 'r/');
      await client.upload(join(scratch, 'app-1.0.3.zip'), bucket, 'r/');
      for (const key of ['r/reference.bin', 'r/app-1.0.3.zip.delta']) {
        const stored = await store.get(bucket, key);
        await writeFile(join(downloads, key.replace('r/', '')), await readBody(stored!.body));
      }
      execFileSync('xdelta3', [
        '-d',
        '-f',
        '-s',
        join(downloads, 'reference.bin'),
        join(downloads, 'app-1.0.3.zip.delta'),
        join(downloads, 'out'),
      ]);
      expect(sha256(await readFile(join(downloads, 'out')))).toBe(sha256(versions[3]!));
    });

    it('downloads and verifies a file of many windows that the built-in codec hands over in place', async () => {
      // 3 MB of short pieces of the reference, shuffled: windows of 256 KiB, each dense with
      // copies, so each runs in WebAssembly and comes out where it was built (reuseChunks).
      const reference = randomBytes(3_000_000);
      const pieces: Buffer[] = [];
      for (let piece = 0; piece < 5000; piece++) {
        const at = ((piece * 7919) % 4990) * 600;
        pieces.push(reference.subarray(at, at + 600), Buffer.from(`edit ${piece};`));
      }
      const target = Buffer.concat(pieces);
      await writeFile(join(downloads, 'big-1.zip'), reference);
      await writeFile(join(downloads, 'big-2.zip'), target);
      const builtIn = createClient({
        store,
        codec: createVcdiffCodec({ windowSize: 256 * 1024, tempDirectory: downloads }),
        referenceCache: createDirectoryReferenceCache(join(downloads, 'cache')),
      });
      await builtIn.upload(join(downloads, 'big-1.zip'), bucket, 'big/');
      expect((await builtIn.upload(join(downloads, 'big-2.zip'), bucket, 'big/')).storedAs).toBe(
        'delta',
      );
      const result = await builtIn.download(bucket, 'big/big-2.zip', join(downloads, 'out.zip'));
      expect(result.size).toBe(target.length);
      expect((await readFile(result.path)).equals(target)).toBe(true);
      expect((await builtIn.verify(bucket, 'big/big-2.zip')).valid).toBe(true);
    });

    it('stores .tar.gz releases as deltas and rebuilds them byte for byte, with either codec and with xdelta3 -d', async () => {
      // xdelta3 decompresses what looks gzip'ed unless told not to; a second member appended to
      // gzip -9's stream keeps the first release's bytes, so the second is a small delta.
      const first = gzipSync(randomBytes(300_000), { level: 9 });
      const second = Buffer.concat([first, gzipSync(Buffer.from('a second member'))]);
      await writeFile(join(downloads, 'tool-1.tar.gz'), first);
      await writeFile(join(downloads, 'tool-2.tar.gz'), second);
      const builtIn = createClient({
        store,
        codec: createVcdiffCodec({ tempDirectory: downloads }),
        referenceCache: createDirectoryReferenceCache(join(downloads, 'cache')),
      });
      for (const [prefix, writer] of [
        ['xdelta3/', client],
        ['built-in/', builtIn],
      ] as const) {
        await writer.upload(join(downloads, 'tool-1.tar.gz'), bucket, prefix);
        const stored = await writer.upload(join(downloads, 'tool-2.tar.gz'), bucket, prefix);
        expect(stored.storedAs, prefix).toBe('delta');
        for (const reader of [client, builtIn]) {
          const out = join(downloads, `${prefix.slice(0, -1)}-out.tar.gz`);
          await rm(out, { force: true });
          await reader.download(bucket, `${prefix}tool-2.tar.gz`, out);
          expect((await readFile(out)).equals(second), prefix).toBe(true);
        }
        for (const key of ['reference.bin', 'tool-2.tar.gz.delta']) {
          const object = await store.get(bucket, `${prefix}${key}`);
          await writeFile(join(downloads, key), await readBody(object!.body));
        }
        execFileSync(
          'xdelta3',
          [
            '-d',
            '-f',
            '-s',
            join(downloads, 'reference.bin'),
            join(downloads, 'tool-2.tar.gz.delta'),
            join(downloads, 'python-out'),
          ],
          { stdio: 'ignore' },
        );
        expect((await readFile(join(downloads, 'python-out'))).equals(second), prefix).toBe(true);
      }
    });

    it('stores a file direct when its delta would exceed max-ratio', async () => {
      await client.upload(join(scratch, 'app-1.0.0.zip'), bucket, 'r/');
      const unrelated = archiveVersions(1, 300_000, 99)[0]!;
      await writeFile(join(scratch, 'other.zip'), unrelated);
      const result = await client.upload(join(scratch, 'other.zip'), bucket, 'r/');
      expect(result).toMatchObject({ storedAs: 'direct', storedKey: 'r/other.zip' });
      const { path } = await client.download(bucket, 'r/other.zip', `${downloads}/`);
      expect(sha256(await readFile(path))).toBe(sha256(unrelated));
    });

    it('never lets a file named reference.bin, *.delta or .deltaglider/ replace DeltaGlider files', async () => {
      await client.upload(join(scratch, 'app-1.0.0.zip'), bucket, 'r/');
      const before = await store.head(bucket, 'r/reference.bin');
      for (const key of [
        'r/reference.bin',
        'r/x.zip.delta',
        '.deltaglider/stats_quick.json',
        'r/',
      ]) {
        await expect(
          client.upload(
            join(scratch, 'app-1.0.1.zip'),
            bucket,
            key === 'r/' ? 'r/reference.bin' : key,
          ),
        ).rejects.toSatisfy(ReservedKeyError.isInstance);
      }
      expect((await store.head(bucket, 'r/reference.bin'))?.etag).toBe(before?.etag);
    });

    it('uploads empty files and files into the named directory', async () => {
      await writeFile(join(scratch, 'empty.zip'), new Uint8Array(0));
      const empty = await client.upload(join(scratch, 'empty.zip'), bucket, 'dir/sub/');
      expect(empty).toMatchObject({
        storedKey: 'dir/sub/empty.zip',
        storedAs: 'direct',
        originalSize: 0,
      });
      const { path } = await client.download(bucket, 'dir/sub/empty.zip', `${downloads}/`);
      expect((await readFile(path)).byteLength).toBe(0);
      expect(await allKeys(store, bucket)).toEqual(['dir/sub/empty.zip']);
    });

    it('keeps both files intact when two first uploads race into one deltaspace', async () => {
      const [first, second] = await Promise.all([
        client.upload(join(scratch, 'app-1.0.1.zip'), bucket, 'race/'),
        client.upload(join(scratch, 'app-1.0.2.zip'), bucket, 'race/'),
      ]);
      expect([first.storedAs, second.storedAs].sort()).toEqual(['delta', 'reference']);
      for (const index of [1, 2]) {
        const { path } = await client.download(
          bucket,
          `race/app-1.0.${index}.zip`,
          join(downloads, `race${index}`),
        );
        expect(sha256(await readFile(path))).toBe(sha256(versions[index]!));
      }
    });

    it('stores racing first uploads whole where conditional writes are not enforced', async () => {
      // The same store, its conditions dropped, as by a server that ignores them: the probe
      // finds out, and no upload creates a reference another could replace.
      const lenient: ObjectStore = { ...store, capabilities: { conditionalPut: false } };
      const unguarded = createFaultyObjectStore(lenient, []);
      const racer = createClient({
        store: {
          ...unguarded,
          put: (b, k, body, options) => store.put(b, k, body, { ...options, onlyIfAbsent: false }),
        },
        referenceCache: createDirectoryReferenceCache(join(downloads, 'cache')),
      });
      const results = await Promise.all(
        [1, 2, 3].map((index) =>
          racer.upload(join(scratch, `app-1.0.${index}.zip`), bucket, 'lenient/'),
        ),
      );
      expect(results.map((result) => result.storedAs)).toEqual(['direct', 'direct', 'direct']);
      for (const index of [1, 2, 3]) {
        const { path } = await client.download(
          bucket,
          `lenient/app-1.0.${index}.zip`,
          join(downloads, `lenient${index}`),
        );
        expect(sha256(await readFile(path))).toBe(sha256(versions[index]!));
      }
    });

    it('never serves a stale cache as valid while two stats calls race uploads', async () => {
      await client.upload(join(scratch, 'app-1.0.0.zip'), bucket, 'race-stats/');
      for (const index of [1, 2, 3, 4, 5]) {
        await Promise.all([
          client.getBucketStats(bucket),
          client.getBucketStats(bucket, { mode: 'detailed' }),
          client.upload(join(scratch, `app-1.0.${index}.zip`), bucket, 'race-stats/'),
        ]);
      }
      for (const mode of ['quick', 'detailed'] as const) {
        const served = await client.getBucketStats(bucket, { mode });
        // Where originals came from differs (a HEAD then, the companion now); the numbers not.
        const { cache: _servedCache, originalsFrom: _servedFrom, ...servedStats } = served;
        const {
          cache: _freshCache,
          originalsFrom: _freshFrom,
          ...freshStats
        } = await client.getBucketStats(bucket, { mode, useCache: false });
        expect(servedStats).toEqual(freshStats);
        expect(served.objectCount).toBe(6);
      }
    }, 60_000);

    it('stores the file whole when gc retired its reference while it was uploading', async () => {
      await client.upload(join(scratch, 'app-1.0.0.zip'), bucket, 'r/');
      // Its last delta goes and gc retires the reference, between the upload reading the
      // reference and writing its delta.
      const racing = createFaultyObjectStore(store, [
        {
          operation: 'put',
          keyPrefix: 'r/app-1.0.1.zip.delta',
          times: 1,
          before: async (inner) => {
            await removeObject(inner, bucket, 'r/app-1.0.0.zip');
            await collectGarbage(inner, bucket, 'r/', { olderThanMs: 0 });
            const retired = await collectGarbage(inner, bucket, 'r/', { olderThanMs: 0 });
            expect(retired.deleted).toEqual(['r/reference.bin']);
          },
        },
      ]);
      const racer = createClient({
        store: racing,
        referenceCache: createDirectoryReferenceCache(join(downloads, 'cache')),
      });
      expect((await racer.upload(join(scratch, 'app-1.0.1.zip'), bucket, 'r/')).storedAs).toBe(
        'direct',
      );
      expect(await allKeys(store, bucket)).toEqual(['r/app-1.0.1.zip']);
      const { path } = await client.download(bucket, 'r/app-1.0.1.zip', join(downloads, 'raced'));
      expect(sha256(await readFile(path))).toBe(sha256(versions[1]!));
    });

    it('keeps the reference past its last delta, for gc to free after its grace period', async () => {
      await client.upload(join(scratch, 'app-1.0.0.zip'), bucket, 'r/');
      await client.upload(join(scratch, 'app-1.0.1.zip'), bucket, 'r/');
      expect((await client.remove(bucket, 'r/app-1.0.1.zip')).deleted).toEqual([
        'r/app-1.0.1.zip.delta',
      ]);
      expect((await client.remove(bucket, 'r/app-1.0.0.zip.delta')).deleted).toEqual([
        'r/app-1.0.0.zip.delta',
      ]);
      expect(await allKeys(store, bucket)).toEqual(['r/reference.bin']);
      const first = await client.collectGarbage(bucket, '', { olderThanMs: 60_000 });
      expect(first).toMatchObject({ marked: ['r/reference.bin'], deleted: [] });
      const early = await client.collectGarbage(bucket, '', { olderThanMs: 60_000 });
      expect(early).toMatchObject({ waiting: ['r/reference.bin'], deleted: [] });
      const due = await client.collectGarbage(bucket, '', { olderThanMs: 0 });
      expect(due.deleted).toEqual(['r/reference.bin']);
      expect(await allKeys(store, bucket)).toEqual([]);
      await expect(client.remove(bucket, 'r/app-1.0.0.zip')).rejects.toSatisfy(
        ObjectNotFoundError.isInstance,
      );
    });

    it('refuses to write a file whose delta is not VCDIFF or whose reference changed', async () => {
      await client.upload(join(scratch, 'app-1.0.0.zip'), bucket, 'r/');
      await client.upload(join(scratch, 'app-1.0.1.zip'), bucket, 'r/');
      const delta = await store.head(bucket, 'r/app-1.0.1.zip.delta');
      await store.put(bucket, 'r/app-1.0.1.zip.delta', new TextEncoder().encode('garbage'), {
        metadata: delta!.metadata,
      });
      await expect(
        client.download(bucket, 'r/app-1.0.1.zip', join(downloads, 'bad')),
      ).rejects.toSatisfy(CodecError.isInstance);

      const zeroDiff = await store.head(bucket, 'r/app-1.0.0.zip.delta');
      const reference = await store.head(bucket, 'r/reference.bin');
      await store.put(bucket, 'r/reference.bin', versions[2]!, {
        metadata: { ...reference!.metadata, 'dg-file-sha256': sha256(versions[2]!) },
      });
      await expect(
        client.download(bucket, 'r/app-1.0.0.zip', join(downloads, 'bad')),
      ).rejects.toSatisfy(IntegrityError.isInstance);
      expect((await client.verify(bucket, 'r/app-1.0.0.zip')).valid).toBe(false);
      expect(zeroDiff).not.toBeNull();
      expect((await readdir(downloads)).filter((name) => name !== 'cache')).toEqual([]);
    });
  },
);
