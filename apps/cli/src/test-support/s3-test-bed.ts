export { type S3TestBed, useS3TestBed } from '@deltaglider/test-s3-server';

/** What the CLI reads for credentials; the test server checks none. */
export const testCredentialsEnv = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
};
