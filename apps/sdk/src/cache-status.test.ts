import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import { memoryBackend, type StatsBackend, s3Backend } from './test-support/stats-backends.js';

// `cache status` answers from one listing and one GET per mode: the GET already tells the size.

describe.each([memoryBackend(), s3Backend()])('cache status on $name', (backend: StatsBackend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it('costs one LIST and one GET per mode, and reports each cache fresh with its size', async () => {
    const { store, bucket } = await backend.newBucket();
    await store.put(bucket, 'app/reference.bin', new Uint8Array(100));
    for (const version of [1, 2, 3]) {
      await store.put(bucket, `app/v${version}.zip.delta`, new Uint8Array(10), {
        metadata: { 'dg-file-size': '100' },
      });
    }
    const client = createClient({ store });
    for (const mode of ['quick', 'sampled', 'detailed'] as const)
      await client.getBucketStats(bucket, { mode });

    store.reset();
    const statuses = await client.cacheStatus(bucket);
    expect(store.counts()).toEqual({ list: 1, get: 3 });
    for (const status of statuses) {
      const stored = await store.head(bucket, status.key);
      expect(status).toMatchObject({ state: 'fresh', sizeBytes: stored?.size });
    }
  });
});
