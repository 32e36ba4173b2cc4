import type { ObjectStore } from '@deltaglider/core';

export type StoreOperation = 'head' | 'get' | 'put' | 'list' | 'delete' | 'deleteMany';

export interface StoreCall {
  readonly operation: StoreOperation;
  readonly bucket: string;
  /** The key, for single-object operations. */
  readonly key?: string;
}

export interface CountingObjectStore extends ObjectStore {
  readonly calls: readonly StoreCall[];
  /** Calls counted by operation: `{ list: 2, get: 1 }`. */
  counts(): Partial<Record<StoreOperation, number>>;
  reset(): void;
}

/** Records every call made through it: each is one request on a real S3 endpoint. */
export function createCountingObjectStore(inner: ObjectStore): CountingObjectStore {
  const calls: StoreCall[] = [];
  const record = (operation: StoreOperation, bucket: string, key?: string) =>
    calls.push(key === undefined ? { operation, bucket } : { operation, bucket, key });
  const counting: CountingObjectStore = {
    capabilities: inner.capabilities,
    calls,
    counts() {
      const counts: Partial<Record<StoreOperation, number>> = {};
      for (const call of calls) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
      return counts;
    },
    reset() {
      calls.length = 0;
    },
    head: (bucket, key, options) => (record('head', bucket, key), inner.head(bucket, key, options)),
    get: (bucket, key, options) => (record('get', bucket, key), inner.get(bucket, key, options)),
    put: (bucket, key, body, options) => (
      record('put', bucket, key), inner.put(bucket, key, body, options)
    ),
    list: (bucket, options) => (record('list', bucket), inner.list(bucket, options)),
    delete: (bucket, key, options) => (
      record('delete', bucket, key), inner.delete(bucket, key, options)
    ),
  };
  const { deleteMany } = inner;
  if (deleteMany) {
    return {
      ...counting,
      deleteMany: (bucket, keys, options) => (
        record('deleteMany', bucket), deleteMany.call(inner, bucket, keys, options)
      ),
    };
  }
  return counting;
}
