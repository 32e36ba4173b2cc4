import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { describe, expect, it } from 'vitest';
import { createLazyObjectStore } from './lazy-object-store.js';

describe('createLazyObjectStore', () => {
  it('builds the store on the first call, once, and forwards every call to it', async () => {
    const inner = createMemoryObjectStore({ buckets: ['lazy-bucket'] });
    let loads = 0;
    const store = createLazyObjectStore({ conditionalPut: true }, async () => {
      loads++;
      return inner;
    });
    expect(loads).toBe(0);
    expect(store.capabilities).toEqual({ conditionalPut: true });

    await Promise.all([
      store.put('lazy-bucket', 'x', new Uint8Array([1])),
      store.put('lazy-bucket', 'y', new Uint8Array([2])),
    ]);
    expect(loads).toBe(1);
    expect((await store.head('lazy-bucket', 'x'))?.size).toBe(1);
    expect((await store.list('lazy-bucket')).objects.map((o) => o.key)).toEqual(['x', 'y']);
    expect(await store.get('lazy-bucket', 'missing')).toBeNull();
    await store.delete('lazy-bucket', 'x');
    expect(await store.deleteMany?.('lazy-bucket', ['y', 'gone'])).toEqual({
      deleted: ['y', 'gone'],
      failed: [],
    });
    expect((await inner.list('lazy-bucket')).objects).toEqual([]);
    expect(loads).toBe(1);
  });

  it('fails each call with the load error, and builds nothing before a call', async () => {
    const store = createLazyObjectStore({ conditionalPut: false }, async () => {
      throw new Error('no AWS SDK here');
    });
    await expect(store.list('lazy-bucket')).rejects.toThrow('no AWS SDK here');
    await expect(store.head('lazy-bucket', 'k')).rejects.toThrow('no AWS SDK here');
  });
});
