// Type-checked as a TypeScript project would (node16 and bundler resolution), with a custom
// ObjectStore that must satisfy the port's types.
import { type GetBucketStatsOptions, getBucketStats, type ObjectStore } from '@deltaglider/core';
import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import { createClient, type DeltaGliderClient } from '@deltaglider/sdk';

const memory = createMemoryObjectStore();
const custom: ObjectStore = {
  capabilities: { conditionalPut: true },
  head: (bucket, key, options) => memory.head(bucket, key, options),
  get: (bucket, key, options) => memory.get(bucket, key, options),
  put: (bucket, key, body, options) => memory.put(bucket, key, body, options),
  list: (bucket, options) => memory.list(bucket, options),
  delete: (bucket, key, options) => memory.delete(bucket, key, options),
};
// Options may hold undefined (as `process.env.X` does) under exactOptionalPropertyTypes.
const maybe: string | undefined = Date.now() > 0 ? undefined : 'releases/';
const options: GetBucketStatsOptions = { mode: 'quick', prefix: maybe };
export const stats = getBucketStats({ store: custom }, 'own', options);
export const client: DeltaGliderClient = createClient({ endpoint: maybe });
export const s3: ObjectStore = createS3ObjectStore({ region: 'eu-west-1' });
