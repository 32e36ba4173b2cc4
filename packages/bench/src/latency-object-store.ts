import type { ObjectStore } from '@deltaglider/core';

/**
 * An `ObjectStore` decorator that makes every call wait one round trip before the inner store
 * answers, the way a request over a network would. Concurrent calls wait side by side, as
 * requests in flight on separate connections do.
 */
export function withLatency(inner: ObjectStore, roundTripMs: number): ObjectStore {
  const roundTrip = () => new Promise((resolve) => setTimeout(resolve, roundTripMs));
  const delayed =
    <Args extends unknown[], Result>(call: (...args: Args) => Promise<Result>) =>
    async (...args: Args): Promise<Result> => {
      await roundTrip();
      return call.apply(inner, args);
    };
  return {
    capabilities: inner.capabilities,
    head: delayed(inner.head),
    get: delayed(inner.get),
    put: delayed(inner.put),
    list: delayed(inner.list),
    delete: delayed(inner.delete),
    ...(inner.deleteMany ? { deleteMany: delayed(inner.deleteMany) } : {}),
  };
}
