import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { buildApp } from 'fauxqs';
import { listMultipartUploads } from './multipart-listings.js';
import { keepStorageClasses } from './storage-classes.js';

/** A real S3-protocol server on 127.0.0.1, private to one test file or benchmark. */
export interface TestS3Server {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  /** Settings any S3 client needs to talk to this server. */
  readonly clientConfig: S3ClientConfig;
  createBucket(name: string): Promise<void>;
  /**
   * Writes objects straight into the server's store, skipping HTTP: for benchmarks that need
   * 100,000 objects in a second. ETags and listings are exactly as if they had been PUT.
   */
  seedObjects(bucket: string, objects: Iterable<SeedObject>): void;
  /** Every S3 request the server has answered since the last `resetRequests()`, in order. */
  readonly requests: readonly S3Request[];
  /** Requests counted by type: `{ LIST: 2, GET: 1 }`. */
  requestCounts(): Partial<Record<S3RequestType, number>>;
  resetRequests(): void;
  stop(): Promise<void>;
}

export interface SeedObject {
  readonly key: string;
  readonly body: Uint8Array;
  readonly metadata?: Record<string, string>;
}

interface FauxqsS3Store {
  createBucket(name: string): void;
  putObject(
    bucket: string,
    key: string,
    body: Buffer,
    contentType: string,
    metadata: Record<string, string>,
  ): void;
}

export type S3RequestType = 'LIST' | 'GET' | 'HEAD' | 'PUT' | 'DELETE' | 'DELETE_MANY' | 'OTHER';

export interface S3Request {
  readonly type: S3RequestType;
  readonly method: string;
  readonly url: string;
}

const MAX_BODY_BYTES = 256 * 1024 * 1024;

/**
 * Starts fauxqs 1.9.2 with this repository's patch (byte-order listing, page cap, continuation
 * after common prefixes, conditional PUT, a body limit we set). Its `startFauxqs()` binds every interface, so we
 * build the app and listen on loopback ourselves. Everything is kept in memory.
 */
export async function startTestS3Server(): Promise<TestS3Server> {
  // Our patch makes fauxqs's 11 MiB body limit configurable; real S3 takes 5 GiB in one PUT.
  const app = buildApp({
    logger: false,
    host: '127.0.0.1',
    bodyLimit: MAX_BODY_BYTES,
  } as Parameters<typeof buildApp>[0]);
  const requests: S3Request[] = [];
  app.addHook('onRequest', async (request) => {
    requests.push({
      type: classifyRequest(request.method, request.url),
      method: request.method,
      url: request.url,
    });
  });
  keepStorageClasses(app);
  listMultipartUploads(app);
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
    seedObjects(bucket, objects) {
      // Exposed by our fauxqs patch; see patches/fauxqs@1.9.2.patch.
      const store = (app as unknown as { deltagliderS3Store: FauxqsS3Store }).deltagliderS3Store;
      store.createBucket(bucket);
      for (const object of objects) {
        const body = Buffer.from(
          object.body.buffer,
          object.body.byteOffset,
          object.body.byteLength,
        );
        store.putObject(
          bucket,
          object.key,
          body,
          'application/octet-stream',
          object.metadata ?? {},
        );
      }
    },
    requests,
    requestCounts() {
      const counts: Partial<Record<S3RequestType, number>> = {};
      for (const request of requests) counts[request.type] = (counts[request.type] ?? 0) + 1;
      return counts;
    },
    resetRequests() {
      requests.length = 0;
    },
    async stop() {
      admin.destroy();
      await app.close();
    },
  };
}

/** Path-style S3: `/bucket` is a bucket request, `/bucket/key` an object request. */
export function classifyRequest(method: string, url: string): S3RequestType {
  const [path = '', query = ''] = url.split('?');
  const isObject = path.replace(/^\/+/, '').includes('/') && !path.endsWith('/');
  const parameters = new URLSearchParams(query);
  if (method === 'GET' && !isObject)
    return parameters.has('list-type') || !parameters.size || parameters.has('prefix')
      ? 'LIST'
      : 'OTHER';
  if (method === 'POST' && parameters.has('delete')) return 'DELETE_MANY';
  if (!isObject) return 'OTHER';
  if (method === 'GET') return 'GET';
  if (method === 'HEAD') return 'HEAD';
  if (method === 'PUT') return 'PUT';
  if (method === 'DELETE') return 'DELETE';
  return 'OTHER';
}
