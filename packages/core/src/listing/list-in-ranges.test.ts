import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ObjectStore, ObjectSummary } from '../ports/object-store.js';
import { buildListPage, resolveListPosition } from '../store-support/build-list-page.js';
import { compareKeys } from '../store-support/compare-keys.js';
import { listInRanges } from './list-in-ranges.js';

// Listing in parallel ranges, against the smallest store that lists like S3: sorted keys paged
// by core's own buildListPage (the SDK's tests run the same listing over memory and S3).

const key = (index: number) => `files/${String(index).padStart(5, '0')}.txt`;

/** A store listing `keys` as S3 does, in pages of at most `pageSize` (small, to split often). */
function listingStore(keys: readonly string[], pageSize = 1000): ObjectStore {
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
        { ...options, maxKeys: Math.min(options.maxKeys ?? 1000, pageSize) },
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

  describe('split as it goes (no boundaries: a cold listing)', () => {
    // Keys as buckets hold them: deep trees, flat directories, and every class of character a
    // key may carry (control, ASCII, Latin-1, the rest of the BMP, beyond it).
    const character = fc.oneof(
      fc.constantFrom('a', 'b', 'z', '0', '9', '-', '.', '_', '~', ' ', '/'),
      fc.integer({ min: 0x01, max: 0x1f }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0x80, max: 0xff }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0x100, max: 0xd7ff }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
    );
    const segment = fc.array(character, { minLength: 1, maxLength: 6 }).map((c) => c.join(''));
    const deepKey = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => s.join('/'));
    const flatKey = fc.integer({ min: 0, max: 99_999 }).map((n) => `flat/${n}.zip`);
    const keySet = fc.uniqueArray(fc.oneof(deepKey, flatKey, flatKey), {
      minLength: 0,
      maxLength: 400,
    });

    it('yields exactly the keys a sequential listing does, once each', async () => {
      await fc.assert(
        fc.asyncProperty(
          keySet,
          fc.integer({ min: 1, max: 9 }),
          fc.integer({ min: 1, max: 8 }),
          fc.constantFrom('', 'flat/', 'a'),
          async (keys, pageSize, concurrency, prefix) => {
            const store = listingStore(keys, pageSize);
            const seen: string[] = [];
            for await (const page of listInRanges(store, 'b', { split: true, concurrency, prefix }))
              seen.push(...page.map((object) => object.key));
            const expected = keys.filter((k) => k.startsWith(prefix)).sort(compareKeys);
            expect(seen.sort(compareKeys)).toEqual(expected);
          },
        ),
        { numRuns: 150 },
      );
    }, 120_000);

    it('lists in parallel from the first page, and needs few more requests than paging', async () => {
      const keys = Array.from({ length: 20_000 }, (_, index) => key(index));
      let requests = 0;
      let inFlight = 0;
      let mostInFlight = 0;
      const inner = listingStore(keys, 100);
      const store: ObjectStore = {
        ...inner,
        async list(name, options) {
          requests++;
          mostInFlight = Math.max(mostInFlight, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          try {
            return await inner.list(name, options);
          } finally {
            inFlight--;
          }
        },
      };
      let listed = 0;
      for await (const page of listInRanges(store, 'b', { split: true, concurrency: 8 }))
        listed += page.length;
      expect(listed).toBe(keys.length);
      expect(mostInFlight).toBe(8);
      // Sequential paging takes 200 requests; each cut costs a part-filled page, and 100-key
      // pages make that dear (the bench measures 1000-key pages: 1.1x at most is the aim).
      expect(requests).toBeLessThanOrEqual(260);
    });
  });
});
