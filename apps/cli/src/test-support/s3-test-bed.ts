import type { ObjectStore } from '@deltaglider/core';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';

export { type S3TestBed, useS3TestBed } from '@deltaglider/test-s3-server';

/** What the CLI reads for credentials; the test server checks none. */
export const testCredentialsEnv = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
};

/** An S3 store on the test server (or its proxy), to arrange and inspect buckets directly. */
export function testStoreAt(endpoint: string): ObjectStore {
  return createS3ObjectStore({
    endpoint,
    credentials: {
      accessKeyId: testCredentialsEnv.AWS_ACCESS_KEY_ID,
      secretAccessKey: testCredentialsEnv.AWS_SECRET_ACCESS_KEY,
    },
  });
}
