import type { ListOptions, ObjectStore } from '@deltaglider/core';

export type StoreOperation = 'head' | 'get' | 'put' | 'list' | 'delete' | 'deleteMany';

export interface StoreCall {
  readonly operation: StoreOperation;
  readonly bucket: string;
  /** The key, for single-object operations. */
  readonly key?: string;
  /** Where a LIST started, when it named a start-after key. */
  readonly startAfter?: string;
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
  // Records the call, then hands it to the real store unchanged.
  const counted =
    <Args extends unknown[], Result>(
      operation: StoreOperation,
      call: (bucket: string, ...args: Args) => Result,
    ) =>
    (bucket: string, ...args: Args): Result => {
      const key = operation === 'list' || operation === 'deleteMany' ? undefined : args[0];
      const startAfter =
        operation === 'list' ? (args[0] as ListOptions | undefined)?.startAfter : undefined;
      calls.push({
        operation,
        bucket,
        ...(typeof key === 'string' ? { key } : {}),
        ...(startAfter === undefined ? {} : { startAfter }),
      });
      return call.call(inner, bucket, ...args);
    };
  return {
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
    head: counted('head', inner.head),
    get: counted('get', inner.get),
    put: counted('put', inner.put),
    list: counted('list', inner.list),
    delete: counted('delete', inner.delete),
    ...(inner.deleteMany ? { deleteMany: counted('deleteMany', inner.deleteMany) } : {}),
  };
}
