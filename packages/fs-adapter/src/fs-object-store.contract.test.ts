import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runObjectStoreContract } from '@deltaglider/object-store-contract';
import { createFsObjectStore } from './fs-object-store.js';

runObjectStoreContract({
  name: 'fs (a local directory)',
  async setup() {
    const root = await mkdtemp(join(tmpdir(), 'dg-fs-contract-'));
    const store = createFsObjectStore({ root });
    await store.createBucket('contract');
    return {
      store,
      bucket: 'contract',
      missingBucket: 'no-such-bucket',
      teardown: () => rm(root, { recursive: true, force: true }),
    };
  },
});
