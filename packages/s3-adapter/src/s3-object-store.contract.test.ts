import { contractCaseNames, runObjectStoreContract } from '@deltaglider/object-store-contract';
import { startTestS3Server, type TestS3Server } from '@deltaglider/test-s3-server';
import { afterAll, beforeAll } from 'vitest';
import { createS3ObjectStore } from './s3-object-store.js';

let server: TestS3Server;
let bucketCount = 0;

beforeAll(async () => {
  server = await startTestS3Server();
});
afterAll(async () => {
  await server.stop();
});

runObjectStoreContract({
  name: 's3 (patched fauxqs 1.9.2 on 127.0.0.1)',
  async setup() {
    const bucket = `contract-${++bucketCount}`;
    await server.createBucket(bucket);
    const store = createS3ObjectStore({
      endpoint: server.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      // The patched server enforces If-None-Match and If-Match, as AWS does.
      conditionalPut: true,
      // Low enough that the contract's streamed bodies go up in several parts.
      multipart: { threshold: 8 * 1024 * 1024, partSize: 5 * 1024 * 1024 },
    });
    return { store, bucket, missingBucket: 'no-such-bucket' };
  },
  knownGaps: {
    [contractCaseNames.invalidBucketName]:
      'fauxqs does not check bucket names; it answers NoSuchBucket',
  },
});
