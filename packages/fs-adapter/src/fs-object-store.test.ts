import { mkdir, mkdtemp, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BucketNotFoundError,
  DamagedObjectError,
  InvalidArgumentError,
  InvalidKeyError,
  NotAStoreError,
  PreconditionFailedError,
} from '@deltaglider/core';
import { readBody } from '@deltaglider/core/adapter-kit';
import { listEverything } from '@deltaglider/object-store-contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OBJECT_CHUNK_BYTES } from './file-chunks.js';
import { createFsObjectStore, type FsObjectStore } from './fs-object-store.js';
import { onLinux, openFiles } from './test-support/open-files.js';

const encoder = new TextEncoder();
const text = async (store: FsObjectStore, key: string) => {
  const stored = await store.get('bucket', key);
  return stored ? new TextDecoder().decode(await readBody(stored.body)) : null;
};

let root: string;
let store: FsObjectStore;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dg-fs-'));
  store = createFsObjectStore({ root });
  await store.createBucket('bucket');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('fs store keys', () => {
  it.each([
    ['../escape', '".." segments'],
    ['a/../../escape', '".." segments'],
    ['./here', '"." segments'],
    ['/etc/passwd', 'absolute paths'],
    ['nul\0byte', 'NUL'],
  ])('refuses %j with InvalidKeyError (%s)', async (key) => {
    for (const attempt of [
      () => store.put('bucket', key, encoder.encode('x')),
      () => store.head('bucket', key),
      () => store.get('bucket', key),
      () => store.delete('bucket', key),
    ]) {
      await expect(attempt()).rejects.toSatisfy(InvalidKeyError.isInstance);
    }
    expect(await readdir(root)).toEqual(['bucket']);
  });

  it('stores 1,024-byte keys made of path segments, and refuses one segment too long for a file name', async () => {
    const long = `${Array.from({ length: 8 }, (_, index) => `${index}${'\u00e9'.repeat(63)}`).join('/')}/end`;
    expect(Buffer.byteLength(long)).toBeGreaterThan(1000);
    await store.put('bucket', long, encoder.encode('deep'));
    expect((await listEverything(store, 'bucket', {})).keys).toEqual([long]);
    expect(await text(store, long)).toBe('deep');
    const single = 'x'.repeat(1024);
    await expect(store.put('bucket', single, encoder.encode('x'))).rejects.toSatisfy(
      (error: unknown) =>
        InvalidKeyError.isInstance(error) && /longer than 240 bytes/.test(error.message),
    );
  });

  it('holds a key and keys below it as a folder at once, as S3 does', async () => {
    await store.put('bucket', 'a', encoder.encode('file'));
    await store.put('bucket', 'a/b', encoder.encode('below'));
    await store.put('bucket', 'a/', encoder.encode('folder marker'));
    await store.put('bucket', 'a//c', encoder.encode('empty segment'));
    expect((await listEverything(store, 'bucket', {})).keys).toEqual(['a', 'a/', 'a//c', 'a/b']);
    expect(await text(store, 'a')).toBe('file');
    expect(await text(store, 'a/')).toBe('folder marker');
  });

  it('never confuses user keys with its own suffixes and temp folder', async () => {
    const lookalikes = ['x~o', 'x~o~lock', '~tmp/y', '~', 'a%2F', 'caf\u00e9 100%.zip'];
    for (const key of lookalikes) await store.put('bucket', key, encoder.encode(key));
    expect((await listEverything(store, 'bucket', {})).keys).toEqual(
      [...lookalikes].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    for (const key of lookalikes) expect(await text(store, key)).toBe(key);
  });

  it('keeps objects across store instances, and removes emptied folders on delete', async () => {
    await store.put('bucket', 'deep/er/file.zip', encoder.encode('kept'), {
      metadata: { 'dg-note': 'n' },
    });
    const reopened = createFsObjectStore({ root });
    expect(await reopened.head('bucket', 'deep/er/file.zip')).toMatchObject({
      metadata: { 'dg-note': 'n' },
    });
    await reopened.delete('bucket', 'deep/er/file.zip');
    // Only the store's own files are left: its temp folder and the marker saying it is a store.
    expect((await readdir(join(root, 'bucket'))).sort()).toEqual(['~deltaglider-store', '~tmp']);
  });

  it('treats a bucket as a directory under the root, with S3 bucket names', async () => {
    await expect(store.list('absent')).rejects.toSatisfy(BucketNotFoundError.isInstance);
    await expect(store.list('../up')).rejects.toSatisfy(InvalidArgumentError.isInstance);
    await expect(store.createBucket('Bad_Name')).rejects.toSatisfy(InvalidArgumentError.isInstance);
  });
});

describe('fs store writes', () => {
  it('lets exactly one of many racing only-if-absent writes win', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        store.put('bucket', 'reference.bin', encoder.encode(`writer ${index}`), {
          onlyIfAbsent: true,
        }),
      ),
    );
    const won = results.filter((result) => result.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected')
        expect(PreconditionFailedError.isInstance(result.reason)).toBe(true);
    }
  });

  it('lets exactly one of many racing if-match writes against one ETag win', async () => {
    const { etag } = await store.put('bucket', 'cache.json', encoder.encode('v0'));
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        store.put('bucket', 'cache.json', encoder.encode(`v${index + 1}`), { ifMatch: etag }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  });

  it('shows readers either the old or the new object whole while it is replaced', async () => {
    const versions = ['A', 'B', 'C', 'D'].map((letter) => letter.repeat(256 * 1024));
    await store.put('bucket', 'big.tar', encoder.encode(versions[0]));
    const writes = versions
      .slice(1)
      .map((version) => store.put('bucket', 'big.tar', encoder.encode(version)));
    const reads = Array.from({ length: 12 }, () => text(store, 'big.tar'));
    const seen = await Promise.all(reads);
    await Promise.all(writes);
    for (const content of seen) expect(versions).toContain(content);
    expect(await readdir(join(root, 'bucket', '~tmp'))).toEqual([]);
  });
});

describe('fs store reads', () => {
  it('hands an object over in chunks of 1 MiB, not 64 KiB: a delta window arrives in a few', async () => {
    const bytes = Uint8Array.from(
      { length: 3 * OBJECT_CHUNK_BYTES + 5 },
      (_, index) => index % 251,
    );
    await store.put('bucket', 'delta', bytes);
    const stored = await store.get('bucket', 'delta');
    const sizes: number[] = [];
    for await (const chunk of stored!.body) sizes.push(chunk.length);
    expect(OBJECT_CHUNK_BYTES).toBe(1024 * 1024);
    expect(sizes).toEqual([OBJECT_CHUNK_BYTES, OBJECT_CHUNK_BYTES, OBJECT_CHUNK_BYTES, 5]);
  });

  it('refuses an object file cut short, naming it, instead of handing over fewer bytes', async () => {
    await store.put('bucket', 'cut', new Uint8Array(100_000).fill(7));
    const file = join(root, 'bucket', 'cut~o');
    await truncate(file, (await stat(file)).size - 10);
    const stored = await store.get('bucket', 'cut');
    await expect(readBody(stored!.body)).rejects.toThrow(
      `s3://bucket/cut is damaged: ${file} ended before its stated size`,
    );
  });

  it.runIf(onLinux)(
    'closes an object file whose body is abandoned before or while it is read',
    async () => {
      await store.put('bucket', 'big', new Uint8Array(3 * OBJECT_CHUNK_BYTES));
      const file = join(root, 'bucket', 'big~o');
      const unread = await store.get('bucket', 'big');
      expect(openFiles(file)).toBe(1);
      await unread!.body[Symbol.asyncIterator]().return?.();
      expect(openFiles(file)).toBe(0);
      const started = await store.get('bucket', 'big');
      for await (const chunk of started!.body) {
        expect(chunk.length).toBe(OBJECT_CHUNK_BYTES);
        break;
      }
      expect(openFiles(file)).toBe(0);
      await readBody((await store.get('bucket', 'big'))!.body);
      expect(openFiles(file)).toBe(0);
    },
  );
});

describe('directories that are not stores, and damaged object files', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'dg-fs-foreign-'));
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('refuses a folder of ordinary files (also in sub-folders), writing nothing into it', async () => {
    for (const layout of [['photo.jpg'], ['2020/05/photo.jpg']]) {
      const bucket = join(base, 'photos');
      await rm(bucket, { recursive: true, force: true });
      await mkdir(join(bucket, ...layout[0]!.split('/').slice(0, -1)), { recursive: true });
      await writeFile(join(bucket, layout[0]!), 'not ours');
      const store = createFsObjectStore({ root: base });
      const refusal = store.list('photos');
      await expect(refusal).rejects.toSatisfy(NotAStoreError.isInstance);
      await expect(refusal).rejects.toThrow(
        `${bucket} is not a DeltaGlider store: it holds files the tool did not write ("${layout[0]}")`,
      );
      await expect(store.put('photos', 'a.txt', encoder.encode('x'))).rejects.toSatisfy(
        NotAStoreError.isInstance,
      );
      expect((await readdir(bucket, { recursive: true })).sort()).toEqual(
        layout[0]!.includes('/') ? ['2020', '2020/05', '2020/05/photo.jpg'] : ['photo.jpg'],
      );
    }
  });

  it('adopts such a folder when asked, and takes an empty one as a new store', async () => {
    await mkdir(join(base, 'photos'));
    await writeFile(join(base, 'photos', 'photo.jpg'), 'not ours');
    const adopting = createFsObjectStore({ root: base, adoptDirectories: true });
    await adopting.put('photos', 'a.txt', encoder.encode('x'));
    expect((await adopting.list('photos')).objects.map((object) => object.key)).toEqual(['a.txt']);
    // Marked on its first write: from then on it is a store, whatever else it holds.
    expect((await createFsObjectStore({ root: base }).list('photos')).objects).toHaveLength(1);

    await mkdir(join(base, 'fresh'));
    const store = createFsObjectStore({ root: base });
    expect((await store.list('fresh')).objects).toEqual([]);
  });

  it('skips a damaged object file in listings with a warning naming it; head and get name it; delete removes it', async () => {
    const warnings: string[] = [];
    const store = createFsObjectStore({
      root: base,
      onWarning: (message) => warnings.push(message),
    });
    await store.createBucket('bkt');
    for (const key of ['a.txt', 'broken.txt', 'c.txt'])
      await store.put('bkt', key, encoder.encode(key));
    const damaged = join(base, 'bkt', 'broken.txt~o');
    await writeFile(damaged, 'garbage, not an object file');

    expect((await store.list('bkt')).objects.map((object) => object.key)).toEqual([
      'a.txt',
      'c.txt',
    ]);
    expect(warnings).toEqual([
      `skipped while listing: s3://bkt/broken.txt is damaged: ${damaged} is not a readable object file (not a DeltaGlider object file)`,
    ]);
    await expect(store.head('bkt', 'broken.txt')).rejects.toSatisfy(DamagedObjectError.isInstance);
    await expect(store.get('bkt', 'broken.txt')).rejects.toThrow(damaged);
    expect(await store.get('bkt', 'a.txt')).not.toBeNull();
    await store.delete('bkt', 'broken.txt');
    expect(await store.head('bkt', 'broken.txt')).toBeNull();
  });
});
