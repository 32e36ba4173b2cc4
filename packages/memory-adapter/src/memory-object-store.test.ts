import { runObjectStoreContract } from '@deltaglider/object-store-contract';
import { createMemoryObjectStore } from './memory-object-store.js';

runObjectStoreContract({
  name: 'memory',
  async setup() {
    const store = createMemoryObjectStore({ buckets: ['contract'] });
    return { store, bucket: 'contract', missingBucket: 'no-such-bucket' };
  },
});
