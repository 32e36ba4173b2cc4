import type { ObjectStore } from '@deltaglider/core';
import type { StoreOperation } from './counting-object-store.js';

/** A fault: which calls it hits, and what happens instead of (or before) the real call. */
export interface StoreFault {
  readonly operation: StoreOperation;
  readonly keyPrefix?: string;
  /** Throw this error instead of calling the store. */
  readonly fail?: () => unknown;
  /** Run this against the real store first (e.g. a competing writer), then make the call. */
  readonly before?: (inner: ObjectStore) => Promise<void>;
  /** Only the first N matching calls; default every one. */
  readonly times?: number;
}

/**
 * Wraps a real store and injects faults into chosen calls, for the paths no test server can
 * produce on demand (denied reads, refused writes, a competing writer between read and write).
 */
export function createFaultyObjectStore(
  inner: ObjectStore,
  faults: readonly StoreFault[],
): ObjectStore {
  const remaining = faults.map((fault) => ({
    fault,
    left: fault.times ?? Number.POSITIVE_INFINITY,
  }));

  async function intercept<T>(
    operation: StoreOperation,
    key: string | undefined,
    call: () => Promise<T>,
  ): Promise<T> {
    for (const entry of remaining) {
      const { fault } = entry;
      if (fault.operation !== operation || entry.left <= 0) continue;
      if (fault.keyPrefix !== undefined && !(key ?? '').startsWith(fault.keyPrefix)) continue;
      entry.left--;
      if (fault.before) await fault.before(inner);
      if (fault.fail) throw fault.fail();
    }
    return call();
  }

  return {
    capabilities: inner.capabilities,
    head: (bucket, key, options) => intercept('head', key, () => inner.head(bucket, key, options)),
    get: (bucket, key, options) => intercept('get', key, () => inner.get(bucket, key, options)),
    put: (bucket, key, body, options) =>
      intercept('put', key, () => inner.put(bucket, key, body, options)),
    list: (bucket, options) =>
      intercept('list', options?.prefix, () => inner.list(bucket, options)),
    delete: (bucket, key, options) =>
      intercept('delete', key, () => inner.delete(bucket, key, options)),
  };
}
