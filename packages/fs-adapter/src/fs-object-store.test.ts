import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BucketNotFoundError,
  InvalidArgumentError,
  InvalidKeyError,
  PreconditionFailedError,
  readBody,
} from '@deltaglider/core';
import { listEverything } from '@deltaglider/object-store-contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsObjectStore, type FsObjectStore } from './fs-object-store.js';

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
    expect((await readdir(join(root, 'bucket'))).filter((name) => name !== '~tmp')).toEqual([]);
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
