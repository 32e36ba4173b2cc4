import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { buildApp } from 'fauxqs';

/** A real S3-protocol server on 127.0.0.1, private to one test file or benchmark. */
export interface TestS3Server {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** Settings any S3 client needs to talk to this server. */
  readonly clientConfig: S3ClientConfig;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs 1.9.2 with this repository's patch (byte-order listing, page cap, continuation
 * after common prefixes, conditional PUT). Its `startFauxqs()` binds every interface, so we
 * build the app and listen on loopback ourselves. Everything is kept in memory.
 */
export async function startTestS3Server(): Promise<TestS3Server> {
  const app = buildApp({ logger: false, host: '127.0.0.1' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new Error('test S3 server did not bind a TCP port');
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  const clientConfig: S3ClientConfig = {
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  const admin = new S3Client(clientConfig);
  return {
    endpoint,
    port: address.port,
    clientConfig,
    async createBucket(name) {
      await admin.send(new CreateBucketCommand({ Bucket: name }));
    },
    async stop() {
      admin.destroy();
      await app.close();
    },
  };
}
