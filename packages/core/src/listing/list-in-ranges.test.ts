import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ObjectStore, ObjectSummary } from '../ports/object-store.js';
import { buildListPage, resolveListPosition } from '../store-support/build-list-page.js';
import { compareKeys } from '../store-support/compare-keys.js';
import { listInRanges } from './list-in-ranges.js';

// Listing in parallel ranges, against the smallest store that lists like S3: sorted keys paged
// by core's own buildListPage (the SDK's tests run the same listing over memory and S3).

const key = (index: number) => `files/${String(index).padStart(5, '0')}.txt`;

function listingStore(keys: readonly string[]): ObjectStore {
  const objects: ObjectSummary[] = [...keys]
    .sort(compareKeys)
    .map((name) => ({ key: name, size: 0, etag: '""', lastModified: new Date(0) }));
  const unsupported = () => Promise.reject(new Error('not needed here'));
  return {
    capabilities: { conditionalPut: true },
    head: unsupported,
    get: unsupported,
    put: unsupported,
    delete: unsupported,
    async list(_bucket, options = {}) {
      const { prefix, startAfter } = resolveListPosition(options);
      const from = compareKeys(startAfter, prefix) > 0 ? startAfter : prefix;
      return buildListPage(
        objects.filter((object) => compareKeys(object.key, from) >= 0),
        options,
      );
    },
  };
}

const newBucket = async () => ({ bucket: 'b' });

describe('listInRanges', () => {
  it('reports a server that refuses StartAfter as a ListingOrderError, not a usage error', async () => {
    const { bucket } = await newBucket();
    const store = listingStore(Array.from({ length: 2500 }, (_, index) => key(index)));
    const refusing: ObjectStore = {
      ...store,
      list: (name, options = {}) =>
        options.startAfter !== undefined && options.cursor === undefined
          ? Promise.reject(new InvalidArgumentError('StartAfter is not supported'))
          : store.list(name, options),
    };
    const listing = async () => {
      for await (const _page of listInRanges(refusing, bucket, {
        boundaries: Promise.resolve([key(999), key(1999)]),
      }));
    };
    await expect(listing()).rejects.toThrow(/the server refused StartAfter/);
  });

  it('yields every key once with boundaries anywhere, and ends cleanly when its reader stops', async () => {
    const { bucket } = await newBucket();
    const keys = Array.from({ length: 5000 }, (_, index) => key(index));
    const store = listingStore(keys);
    for (const boundaries of [
      [],
      [keys[10]!],
      [keys[0]!, keys[999]!, 'files/03000.5', keys[4999]!, 'zzz'],
      ['a', 'b'],
    ]) {
      const seen: string[] = [];
      for await (const page of listInRanges(store, bucket, {
        boundaries: Promise.resolve(boundaries),
        concurrency: 3,
      })) {
        seen.push(...page.map((object) => object.key));
      }
      expect(seen.sort()).toEqual(keys);
    }
    let pages = 0;
    for await (const _page of listInRanges(store, bucket, {
      boundaries: Promise.resolve([keys[999]!, keys[1999]!]),
    })) {
      if (++pages === 1) break;
    }
    expect(pages).toBe(1);
  }, 60_000);
});
