import {
  BucketNotFoundError,
  type DeleteManyResult,
  InvalidArgumentError,
  type ListOptions,
  type ListPage,
  type ObjectHead,
  type ObjectStore,
  type ObjectSummary,
  PreconditionFailedError,
  type PutOptions,
  type PutResult,
  pureHashes,
  type RequestOptions,
  type StoredObject,
} from '@deltaglider/core';
import {
  assertValidBucketName,
  buildListPage,
  compareKeys,
  lowerCaseMetadataKeys,
  readPutBody,
  resolveListPosition,
  toObjectSummary,
} from '@deltaglider/core/adapter-kit';

export interface MemoryObjectStoreOptions {
  /** Buckets that exist from the start. */
  readonly buckets?: readonly string[] | undefined;
}

/** The in-memory store: the reference every other adapter's semantics are held to. */
export interface MemoryObjectStore extends ObjectStore {
  createBucket(bucket: string): void;
  deleteBucket(bucket: string): void;
}

interface StoredEntry {
  readonly head: ObjectHead;
  readonly bytes: Uint8Array;
}

class MemoryBucket {
  readonly entries = new Map<string, StoredEntry>();
  readonly createdAt = new Date();
  // Sorted lazily: writes only mark it stale, the next listing sorts once.
  private sortedKeys: string[] | undefined;

  set(key: string, entry: StoredEntry): void {
    if (!this.entries.has(key)) this.sortedKeys = undefined;
    this.entries.set(key, entry);
  }

  remove(key: string): void {
    if (this.entries.delete(key)) this.sortedKeys = undefined;
  }

  *summariesFrom(position: string): Generator<ObjectSummary> {
    this.sortedKeys ??= [...this.entries.keys()].sort(compareKeys);
    const keys = this.sortedKeys;
    for (let index = firstIndexAtOrAfter(keys, position); index < keys.length; index++) {
      const entry = this.entries.get(keys[index]!);
      if (entry) yield toObjectSummary(entry.head);
    }
  }
}

export function createMemoryObjectStore(options: MemoryObjectStoreOptions = {}): MemoryObjectStore {
  const buckets = new Map<string, MemoryBucket>();
  for (const name of options.buckets ?? []) buckets.set(name, new MemoryBucket());

  function bucketNamed(bucket: string, request?: RequestOptions): MemoryBucket {
    request?.signal?.throwIfAborted();
    assertValidBucketName(bucket);
    const found = buckets.get(bucket);
    if (!found) throw new BucketNotFoundError(bucket);
    return found;
  }

  return {
    capabilities: { conditionalPut: true },

    createBucket(bucket) {
      assertValidBucketName(bucket);
      if (!buckets.has(bucket)) buckets.set(bucket, new MemoryBucket());
    },

    deleteBucket(bucket) {
      buckets.delete(bucket);
    },

    async listBuckets(request) {
      request?.signal?.throwIfAborted();
      return [...buckets]
        .map(([name, bucket]) => ({ name, createdAt: bucket.createdAt }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    },

    async head(bucket, key, request) {
      return bucketNamed(bucket, request).entries.get(key)?.head ?? null;
    },

    async get(bucket, key, request): Promise<StoredObject | null> {
      const entry = bucketNamed(bucket, request).entries.get(key);
      if (!entry) return null;
      const bytes = entry.bytes.slice();
      return { ...entry.head, body: singleChunk(bytes) };
    },

    async put(bucket, key, body, putOptions: PutOptions = {}): Promise<PutResult> {
      bucketNamed(bucket, putOptions);
      if (key === '') throw new InvalidArgumentError('an object key must not be empty');
      // Read the whole body first: the condition check and the write below then happen in one
      // turn of the event loop, so two racing writers cannot both pass the check.
      const bytes = (await readPutBody(body)).slice();
      const target = bucketNamed(bucket, putOptions);
      const current = target.entries.get(key);
      if (putOptions.onlyIfAbsent && current) throw new PreconditionFailedError(bucket, key);
      if (putOptions.ifMatch !== undefined && current?.head.etag !== putOptions.ifMatch) {
        throw new PreconditionFailedError(bucket, key);
      }
      const md5 = pureHashes('md5');
      md5.update(bytes);
      const etag = `"${md5.digestHex()}"`;
      target.set(key, {
        bytes,
        head: {
          key,
          size: bytes.byteLength,
          etag,
          lastModified: new Date(),
          contentType: putOptions.contentType ?? 'application/octet-stream',
          metadata: lowerCaseMetadataKeys(putOptions.metadata ?? {}),
        },
      });
      return { etag };
    },

    async list(bucket, listOptions: ListOptions = {}): Promise<ListPage> {
      const source = bucketNamed(bucket, listOptions);
      const { prefix, startAfter } = resolveListPosition(listOptions);
      const from = compareKeys(startAfter, prefix) > 0 ? startAfter : prefix;
      return buildListPage(source.summariesFrom(from), listOptions);
    },

    async delete(bucket, key, request) {
      const target = bucketNamed(bucket, request);
      const current = target.entries.get(key);
      if (request?.ifMatch !== undefined && current && current.head.etag !== request.ifMatch)
        throw new PreconditionFailedError(bucket, key);
      target.remove(key);
    },

    async deleteMany(bucket, keys, request): Promise<DeleteManyResult> {
      const target = bucketNamed(bucket, request);
      for (const key of keys) target.remove(key);
      return { deleted: [...keys], failed: [] };
    },
  };
}

function firstIndexAtOrAfter(sortedKeys: readonly string[], position: string): number {
  let low = 0;
  let high = sortedKeys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys(sortedKeys[middle]!, position) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

async function* singleChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
