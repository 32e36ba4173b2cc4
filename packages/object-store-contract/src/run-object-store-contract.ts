import { createHash } from 'node:crypto';
import {
  type BodySource,
  BucketNotFoundError,
  deleteObjects,
  InvalidArgumentError,
  type ObjectStore,
  PreconditionFailedError,
} from '@deltaglider/core';
import { readBody } from '@deltaglider/core/adapter-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ContractCaseName, contractCaseNames } from './contract-case-names.js';
import { listEverything, putKeys } from './listing-helpers.js';

/** One fresh, empty bucket in a store, made for one test case. */
export interface ContractFixture {
  readonly store: ObjectStore;
  readonly bucket: string;
  /** A bucket name that does not exist in this store. */
  readonly missingBucket: string;
  readonly teardown?: () => Promise<void>;
}

export interface ObjectStoreContractOptions {
  /** Shown in the suite's title: `ObjectStore contract: <name>`. */
  readonly name: string;
  readonly setup: () => Promise<ContractFixture>;
  /**
   * Cases this store is known to get wrong, each with the gap named. They run as expected
   * failures (`it.fails`), so a fix upstream turns them red until the entry is removed.
   */
  readonly knownGaps?: Partial<Record<ContractCaseName, string>> | undefined;
}

const encoder = new TextEncoder();
const MIB = 1024 * 1024;

/** Bytes that differ per position and per `seed`, so a misplaced part shows. */
function patterned(size: number, seed = 0): Buffer {
  const bytes = Buffer.alloc(size);
  for (let offset = 0; offset < size; offset += 4)
    bytes.writeUInt32LE((offset * 2654435761 + seed) >>> 0, offset);
  return bytes;
}

/** A body source that yields its bytes in 256 KiB chunks, as a file read would. */
function chunkedSource(bytes: Uint8Array): BodySource {
  return {
    size: bytes.byteLength,
    async *read(range) {
      const end = range?.end ?? bytes.byteLength;
      for (let offset = range?.start ?? 0; offset < end; offset += 256 * 1024)
        yield bytes.subarray(offset, Math.min(end, offset + 256 * 1024));
    },
  };
}

/** A body source whose reads fail once they reach `failAt` (a disk error mid-upload). */
function failingSource(size: number, failAt: number): BodySource {
  const bytes = patterned(size);
  return {
    size,
    async *read(range) {
      const end = range?.end ?? size;
      for (let offset = range?.start ?? 0; offset < end; offset += 256 * 1024) {
        if (offset >= failAt) throw new Error('disk went away');
        yield bytes.subarray(offset, Math.min(end, offset + 256 * 1024));
      }
    },
  };
}
const md5Etag = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;

/** Keys whose S3 order differs from locale order, directory-walk order and UTF-16 order. */
export const byteOrderKeys = [
  'app/x',
  'app-2/y',
  'app.txt',
  'app0/z',
  'App/upper',
  'Zeta',
  'a_b',
  'a b',
  'a~tilde',
  'caf\u00e9',
  'cafe',
  '\u65e5\u672c/\u6587\u66f8',
  '\uff5efullwidth',
  '\u{1f600}emoji',
];

export function runObjectStoreContract(options: ObjectStoreContractOptions): void {
  const gaps = options.knownGaps ?? {};

  describe(`ObjectStore contract: ${options.name}`, () => {
    let fixture: ContractFixture;
    beforeEach(async () => {
      fixture = await options.setup();
    });
    // Removing what the paging case wrote (2,500 objects) can take tens of seconds on a loaded
    // 2-core machine; the timeout only guards against a hang.
    afterEach(async () => {
      await fixture.teardown?.();
    }, 120_000);

    const contractCase = (name: ContractCaseName, body: () => Promise<void>, timeout?: number) => {
      const gap = gaps[name];
      if (gap === undefined) it(name, body, timeout);
      else it.fails(`${name} [known gap: ${gap}]`, body, timeout);
    };

    contractCase(contractCaseNames.metadataRoundTrip, async () => {
      const { store, bucket } = fixture;
      const body = encoder.encode('reference bytes\n');
      const metadata = {
        'DG-File-SHA256': 'a'.repeat(64),
        'dg-file-size': '1048576',
        'dg-note': 'zero-diff (reference identical)',
        'dg-created-at': '2026-11-23T19:58:57.145823Z',
        'dg-delta-cmd': 'xdelta3 -e -9 -s reference.bin app-1.0.0.zip app-1.0.0.zip.delta',
      };
      const written = await store.put(bucket, 'releases/app/app-1.0.0.zip.delta', body, {
        metadata,
        contentType: 'application/x-delta',
      });
      expect(written.etag).toBe(md5Etag(body));

      const head = await store.head(bucket, 'releases/app/app-1.0.0.zip.delta');
      const expectedMetadata = Object.fromEntries(
        Object.entries(metadata).map(([name, value]) => [name.toLowerCase(), value]),
      );
      expect(head).toMatchObject({
        key: 'releases/app/app-1.0.0.zip.delta',
        size: body.byteLength,
        etag: md5Etag(body),
        contentType: 'application/x-delta',
        metadata: expectedMetadata,
      });
      expect(head?.lastModified).toBeInstanceOf(Date);

      const stored = await store.get(bucket, 'releases/app/app-1.0.0.zip.delta');
      expect(stored?.metadata).toEqual(expectedMetadata);
      expect(stored && (await readBody(stored.body))).toEqual(body);
    });

    contractCase(contractCaseNames.anyScriptMetadata, async () => {
      const { store, bucket } = fixture;
      const names = {
        'dg-latin1': 'café-déjà.zip',
        'dg-cjk': 'ünïcødé-日本.zip',
        'dg-emoji': 'release-🚀-v2.zip',
        'dg-combining': 'cafe\u0301-noe\u0308l.zip',
        'dg-rtl': 'ملف-הגרסה.zip',
        'dg-looks-encoded': '=?UTF-8?B?bm90IHJlYWxseQ==?=',
        'dg-plain': 'app-1.0.0.zip',
      };
      await store.put(bucket, 'names/日本.zip', encoder.encode('x'), { metadata: names });
      expect((await store.head(bucket, 'names/日本.zip'))?.metadata).toEqual(names);
      expect((await store.get(bucket, 'names/日本.zip'))?.metadata).toEqual(names);
    });

    contractCase(contractCaseNames.missingKey, async () => {
      const { store, bucket } = fixture;
      expect(await store.head(bucket, 'nothing/here.zip')).toBeNull();
      expect(await store.get(bucket, 'nothing/here.zip')).toBeNull();
    });

    contractCase(contractCaseNames.overwriteAndEmptyBody, async () => {
      const { store, bucket } = fixture;
      await store.put(bucket, 'notes.txt', encoder.encode('first'), { metadata: { a: '1' } });
      await store.put(bucket, 'notes.txt', new Uint8Array(0));
      const head = await store.head(bucket, 'notes.txt');
      expect(head).toMatchObject({ size: 0, etag: md5Etag(new Uint8Array(0)), metadata: {} });
      const stored = await store.get(bucket, 'notes.txt');
      expect(stored && (await readBody(stored.body))).toEqual(new Uint8Array(0));
    });

    const roundTripsBody = (mebibytes: number) => async () => {
      const { store, bucket } = fixture;
      const body = new Uint8Array(mebibytes * 1024 * 1024);
      for (let index = 0; index < body.length; index++) body[index] = (index * 7919) % 251;
      await store.put(bucket, 'big/archive.tar', body);
      const stored = await store.get(bucket, 'big/archive.tar');
      expect(stored?.size).toBe(body.byteLength);
      expect(md5Etag(stored ? await readBody(stored.body) : new Uint8Array())).toBe(md5Etag(body));
    };
    contractCase(contractCaseNames.largeBody, roundTripsBody(5), 30_000);
    contractCase(contractCaseNames.veryLargeBody, roundTripsBody(16), 60_000);

    contractCase(
      contractCaseNames.streamedBody,
      async () => {
        const { store, bucket } = fixture;
        const bytes = patterned(20 * MIB);
        const written = await store.put(bucket, 'big/app.zip', chunkedSource(bytes), {
          metadata: { 'dg-file-size': String(bytes.byteLength) },
        });
        // A multipart upload's ETag is not the MD5 of the bytes; it is whatever HEAD says.
        expect(written.etag).not.toBe('');
        const head = await store.head(bucket, 'big/app.zip');
        expect(head).toMatchObject({ size: bytes.byteLength, etag: written.etag });
        expect(head?.metadata['dg-file-size']).toBe(String(bytes.byteLength));
        const stored = await store.get(bucket, 'big/app.zip');
        expect(stored && Buffer.from(await readBody(stored.body)).equals(bytes)).toBe(true);
      },
      60_000,
    );

    contractCase(
      contractCaseNames.streamedConditions,
      async () => {
        const { store, bucket } = fixture;
        if (!store.capabilities.conditionalPut) return;
        const first = patterned(12 * MIB, 1);
        const { etag } = await store.put(bucket, 'reference.bin', chunkedSource(first), {
          onlyIfAbsent: true,
        });
        await expect(
          store.put(bucket, 'reference.bin', chunkedSource(patterned(12 * MIB, 2)), {
            onlyIfAbsent: true,
          }),
        ).rejects.toSatisfy(PreconditionFailedError.isInstance);
        await expect(
          store.put(bucket, 'reference.bin', chunkedSource(patterned(12 * MIB, 3)), {
            ifMatch: '"0123456789abcdef0123456789abcdef"',
          }),
        ).rejects.toSatisfy(PreconditionFailedError.isInstance);
        expect((await store.head(bucket, 'reference.bin'))?.etag).toBe(etag);
        await store.put(bucket, 'reference.bin', chunkedSource(patterned(12 * MIB, 4)), {
          ifMatch: etag,
        });
        expect((await store.head(bucket, 'reference.bin'))?.etag).not.toBe(etag);
      },
      60_000,
    );

    contractCase(
      contractCaseNames.failedStream,
      async () => {
        const { store, bucket } = fixture;
        await store.put(bucket, 'kept.zip', encoder.encode('old'));
        for (const size of [1 * MIB, 20 * MIB]) {
          await expect(
            store.put(bucket, 'kept.zip', failingSource(size, size / 2)),
          ).rejects.toThrow('disk went away');
          await expect(store.put(bucket, 'new.zip', failingSource(size, size / 2))).rejects.toThrow(
            'disk went away',
          );
        }
        const kept = await store.get(bucket, 'kept.zip');
        expect(kept && new TextDecoder().decode(await readBody(kept.body))).toBe('old');
        expect(await store.head(bucket, 'new.zip')).toBeNull();
        expect((await listEverything(store, bucket, {})).keys).toEqual(['kept.zip']);
      },
      60_000,
    );

    contractCase(contractCaseNames.byteOrder, async () => {
      const { store, bucket } = fixture;
      await putKeys(store, bucket, [...byteOrderKeys].reverse());
      const listed = await listEverything(store, bucket, {});
      const expected = [...byteOrderKeys].sort((a, b) =>
        Buffer.compare(Buffer.from(a), Buffer.from(b)),
      );
      expect(listed.keys).toEqual(expected);
      expect(expected.indexOf('app-2/y')).toBeLessThan(expected.indexOf('app/x'));
    });

    contractCase(
      contractCaseNames.paging,
      async () => {
        const { store, bucket } = fixture;
        // Names continue shared prefixes with bytes below and above '/', where naive orders break.
        const keys = Array.from({ length: 2500 }, (_, index) => {
          const group = ['rel', 'rel-2', 'rel.d', 'rel0', 'Rel'][index % 5];
          return `${group}/${String(Math.floor(index / 5)).padStart(4, '0')}/v${index % 3}.zip`;
        });
        await putKeys(store, bucket, keys);
        const expected = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        for (const maxKeys of [1000, 333, 7]) {
          const listed = await listEverything(store, bucket, { maxKeys });
          expect(listed.keys).toEqual(expected);
          expect(listed.pages).toBe(Math.ceil(keys.length / maxKeys));
        }
        const defaultPage = await store.list(bucket);
        expect(defaultPage.objects).toHaveLength(1000);
        expect(defaultPage.nextCursor).toBeDefined();
        const capped = await store.list(bucket, { maxKeys: 5000 });
        expect(capped.objects).toHaveLength(1000);
      },
      120_000,
    );

    contractCase(contractCaseNames.prefixAndStartAfter, async () => {
      const { store, bucket } = fixture;
      await putKeys(store, bucket, ['a/1', 'a/2', 'a/3', 'ab/1', 'b/1']);
      const underA = await store.list(bucket, { prefix: 'a/' });
      expect(underA.objects.map((object) => object.key)).toEqual(['a/1', 'a/2', 'a/3']);
      expect(underA.nextCursor).toBeUndefined();
      const afterA2 = await store.list(bucket, { startAfter: 'a/2' });
      expect(afterA2.objects.map((object) => object.key)).toEqual(['a/3', 'ab/1', 'b/1']);
      const summary = underA.objects[0];
      expect(summary).toMatchObject({ key: 'a/1', size: 3, etag: md5Etag(encoder.encode('a/1')) });
      expect(summary?.lastModified).toBeInstanceOf(Date);
    });

    contractCase(contractCaseNames.delimiter, async () => {
      const { store, bucket } = fixture;
      await putKeys(store, bucket, ['a-x', 'a/1', 'a/b/2', 'a/b/3', 'b/c/d/4', 'c.txt']);
      const root = await store.list(bucket, { delimiter: '/' });
      expect(root.objects.map((object) => object.key)).toEqual(['a-x', 'c.txt']);
      expect(root.commonPrefixes).toEqual(['a/', 'b/']);

      const inA = await store.list(bucket, { delimiter: '/', prefix: 'a/' });
      expect(inA.objects.map((object) => object.key)).toEqual(['a/1']);
      expect(inA.commonPrefixes).toEqual(['a/b/']);

      // One entry a page: every object and every common prefix exactly once, in order.
      const paged = await listEverything(store, bucket, { delimiter: '/', maxKeys: 1 });
      expect(paged.entries).toEqual(['a-x', 'a/', 'b/', 'c.txt']);
    });

    contractCase(contractCaseNames.deleteMissingKey, async () => {
      const { store, bucket } = fixture;
      await expect(store.delete(bucket, 'never/was.zip')).resolves.toBeUndefined();
      await store.put(bucket, 'gone.zip', encoder.encode('x'));
      await store.delete(bucket, 'gone.zip');
      expect(await store.head(bucket, 'gone.zip')).toBeNull();
    });

    contractCase(contractCaseNames.batchDelete, async () => {
      const { store, bucket } = fixture;
      const keys = Array.from({ length: 25 }, (_, index) => `batch/${index}.delta`);
      await putKeys(store, bucket, [...keys, 'keep/me.txt']);
      const result = await deleteObjects(store, bucket, [...keys, 'batch/missing.delta']);
      expect(result.failed).toEqual([]);
      expect([...result.deleted].sort()).toEqual([...keys, 'batch/missing.delta'].sort());
      expect((await listEverything(store, bucket, {})).keys).toEqual(['keep/me.txt']);
    });

    contractCase(contractCaseNames.preconditions, async () => {
      const { store, bucket } = fixture;
      const first = await store.put(bucket, 'reference.bin', encoder.encode('one'), {
        onlyIfAbsent: true,
      });
      if (!store.capabilities.conditionalPut) {
        // Declared unenforced: the conditions are ignored, and the write goes through.
        await store.put(bucket, 'reference.bin', encoder.encode('two'), { onlyIfAbsent: true });
        expect((await store.head(bucket, 'reference.bin'))?.etag).toBe(
          md5Etag(encoder.encode('two')),
        );
        return;
      }
      await expect(
        store.put(bucket, 'reference.bin', encoder.encode('two'), { onlyIfAbsent: true }),
      ).rejects.toSatisfy(PreconditionFailedError.isInstance);
      await expect(
        store.put(bucket, 'reference.bin', encoder.encode('two'), {
          ifMatch: md5Etag(encoder.encode('other')),
        }),
      ).rejects.toSatisfy(PreconditionFailedError.isInstance);
      expect((await store.head(bucket, 'reference.bin'))?.etag).toBe(first.etag);

      const second = await store.put(bucket, 'reference.bin', encoder.encode('two'), {
        ifMatch: first.etag,
      });
      expect(second.etag).toBe(md5Etag(encoder.encode('two')));
      expect((await store.head(bucket, 'reference.bin'))?.etag).toBe(second.etag);
    });

    contractCase(contractCaseNames.conditionalDelete, async () => {
      const { store, bucket } = fixture;
      if (!store.capabilities.conditionalPut) return;
      const { etag } = await store.put(bucket, 'retired/reference.bin', encoder.encode('one'));
      await expect(
        store.delete(bucket, 'retired/reference.bin', { ifMatch: md5Etag(encoder.encode('x')) }),
      ).rejects.toSatisfy(PreconditionFailedError.isInstance);
      expect((await store.head(bucket, 'retired/reference.bin'))?.etag).toBe(etag);
      await store.delete(bucket, 'retired/reference.bin', { ifMatch: etag });
      expect(await store.head(bucket, 'retired/reference.bin')).toBeNull();
      // Already gone: nothing to delete, as asked.
      await store.delete(bucket, 'retired/reference.bin', { ifMatch: etag });
    });

    contractCase(contractCaseNames.listBuckets, async () => {
      const { store, bucket, missingBucket } = fixture;
      if (!store.listBuckets) return;
      const buckets = await store.listBuckets();
      const names = buckets.map((summary) => summary.name);
      expect(names).toContain(bucket);
      expect(names).not.toContain(missingBucket);
      for (const { createdAt } of buckets)
        if (createdAt !== undefined) expect(createdAt).toBeInstanceOf(Date);
    });

    contractCase(contractCaseNames.missingBucket, async () => {
      const { store, missingBucket } = fixture;
      const isMissingBucket = (error: unknown) =>
        BucketNotFoundError.isInstance(error) && error.bucket === missingBucket;
      await expect(store.list(missingBucket)).rejects.toSatisfy(isMissingBucket);
      await expect(store.get(missingBucket, 'k')).rejects.toSatisfy(isMissingBucket);
      await expect(store.put(missingBucket, 'k', encoder.encode('x'))).rejects.toSatisfy(
        isMissingBucket,
      );
      await expect(store.delete(missingBucket, 'k')).rejects.toSatisfy(isMissingBucket);
      // S3 answers HEAD with a bare 404 either way, so null is allowed here.
      await expect(
        store.head(missingBucket, 'k').then(
          (head) => head === null,
          (error: unknown) => isMissingBucket(error),
        ),
      ).resolves.toBe(true);
    });

    contractCase(contractCaseNames.invalidBucketName, async () => {
      const { store } = fixture;
      for (const bucket of ['Upper_Case', 'ab', 'a..b', '192.168.0.1', '-leading']) {
        await expect(store.list(bucket)).rejects.toSatisfy(InvalidArgumentError.isInstance);
      }
    });
  });
}
