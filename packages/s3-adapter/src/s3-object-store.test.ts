import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  AccessDeniedError,
  BucketNotFoundError,
  InvalidArgumentError,
  listAllObjects,
  PreconditionFailedError,
  StoreUnavailableError,
} from '@deltaglider/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createS3Client } from './create-s3-client.js';
import { createS3ObjectStore } from './s3-object-store.js';

// Unit tests of paging and error mapping only: the behaviour itself is proven against a real
// server by s3-object-store.contract.test.ts. Only an S3 mock can produce 403 or 500 on demand.

const client = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const s3 = mockClient(client);
const store = createS3ObjectStore({ client, conditionalPut: true });

function serviceError(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} from the mock`,
  });
}

afterEach(() => {
  s3.reset();
});

describe('S3 version listing', () => {
  it('pages by key and version-id markers, delete markers as versions without bytes', async () => {
    s3.on(ListObjectVersionsCommand, { KeyMarker: undefined }).resolves({
      IsTruncated: true,
      NextKeyMarker: 'a',
      NextVersionIdMarker: 'v1',
      Versions: [
        { Key: 'a', VersionId: 'v2', IsLatest: true, Size: 5, StorageClass: 'STANDARD' },
        { Key: 'a', VersionId: 'v1', IsLatest: false, Size: 4, StorageClass: 'STANDARD' },
      ],
    });
    s3.on(ListObjectVersionsCommand, { KeyMarker: 'a', VersionIdMarker: 'v1' }).resolves({
      IsTruncated: false,
      DeleteMarkers: [{ Key: 'b', VersionId: 'm1', IsLatest: true }],
    });
    const first = await store.listVersions!('bucket', { prefix: 'p/' });
    expect(
      first.versions.map((v) => [v.key, v.versionId, v.size, v.isLatest, v.isDeleteMarker]),
    ).toEqual([
      ['a', 'v2', 5, true, false],
      ['a', 'v1', 4, false, false],
    ]);
    expect(first.versions[1]?.storageClass).toBe('STANDARD');
    const second = await store.listVersions!('bucket', { cursor: first.nextCursor });
    expect(second).toEqual({
      versions: [
        expect.objectContaining({ key: 'b', size: 0, isLatest: true, isDeleteMarker: true }),
      ],
    });
    expect(s3.commandCalls(ListObjectVersionsCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'bucket',
      Prefix: 'p/',
      MaxKeys: 1000,
    });
  });
});

describe('S3 listing', () => {
  it('passes the continuation token through and stops when S3 says the listing is complete', async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
      IsTruncated: true,
      NextContinuationToken: 'token-2',
      Contents: [{ Key: 'a', Size: 1, ETag: '"1"', LastModified: new Date(1) }],
    });
    s3.on(ListObjectsV2Command, { ContinuationToken: 'token-2' }).resolves({
      IsTruncated: false,
      Contents: [{ Key: 'b', Size: 2, ETag: '"2"', LastModified: new Date(2) }],
      CommonPrefixes: [{ Prefix: 'c/' }],
    });
    const pages = [];
    for await (const page of listAllObjects(store, 'bucket', { pageSize: 1 }))
      pages.push(page.map((o) => o.key));
    expect(pages).toEqual([['a'], ['b']]);
    const calls = s3.commandCalls(ListObjectsV2Command);
    expect(calls.map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ Bucket: 'bucket', MaxKeys: 1, ContinuationToken: undefined }),
      expect.objectContaining({ Bucket: 'bucket', MaxKeys: 1, ContinuationToken: 'token-2' }),
    ]);
  });

  it('caps the page size at 1000 and refuses a size below 1', async () => {
    s3.on(ListObjectsV2Command).resolves({ IsTruncated: false });
    await store.list('bucket', { maxKeys: 50_000 });
    expect(s3.commandCalls(ListObjectsV2Command)[0]?.args[0].input.MaxKeys).toBe(1000);
    await expect(store.list('bucket', { maxKeys: 0 })).rejects.toSatisfy(
      InvalidArgumentError.isInstance,
    );
  });

  it('gives no cursor when a truncated page carries no token', async () => {
    s3.on(ListObjectsV2Command).resolves({ IsTruncated: false, NextContinuationToken: 'stale' });
    expect((await store.list('bucket')).nextCursor).toBeUndefined();
  });
});

describe('S3 error mapping', () => {
  it.each([
    ['NoSuchBucket', 404, BucketNotFoundError.isInstance],
    ['AccessDenied', 403, AccessDeniedError.isInstance],
    ['InvalidAccessKeyId', 403, AccessDeniedError.isInstance],
    ['Forbidden', 403, AccessDeniedError.isInstance],
    ['InternalError', 500, StoreUnavailableError.isInstance],
    ['SlowDown', 503, StoreUnavailableError.isInstance],
  ])('maps a LIST failing with %s (%i) to a typed error', async (name, status, isExpected) => {
    s3.on(ListObjectsV2Command).rejects(serviceError(name, status));
    await expect(store.list('bucket')).rejects.toSatisfy(isExpected);
  });

  it('keeps the provider error as the cause and names the bucket', async () => {
    const original = serviceError('NoSuchBucket', 404);
    s3.on(ListObjectsV2Command).rejects(original);
    const error = await store.list('releases').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'BUCKET_NOT_FOUND', bucket: 'releases', cause: original });
    expect((error as Error).message).toBe('bucket "releases" does not exist');
  });

  it('resolves null for HEAD and GET of a missing key, and maps a denied HEAD', async () => {
    s3.on(HeadObjectCommand, { Key: 'missing' }).rejects(serviceError('NotFound', 404));
    s3.on(HeadObjectCommand, { Key: 'secret' }).rejects(serviceError('Forbidden', 403));
    s3.on(GetObjectCommand).rejects(serviceError('NoSuchKey', 404));
    expect(await store.head('bucket', 'missing')).toBeNull();
    expect(await store.get('bucket', 'missing')).toBeNull();
    await expect(store.head('bucket', 'secret')).rejects.toSatisfy(
      (error: unknown) => AccessDeniedError.isInstance(error) && error.key === 'secret',
    );
  });

  it.each([
    ['PreconditionFailed', 412],
    ['ConditionalRequestConflict', 409],
    ['NoSuchKey', 404],
  ])(
    'maps a conditional PUT failing with %s (%i) to PreconditionFailedError',
    async (name, status) => {
      s3.on(PutObjectCommand).rejects(serviceError(name, status));
      await expect(
        store.put('bucket', 'reference.bin', new Uint8Array([1]), { ifMatch: '"abc"' }),
      ).rejects.toSatisfy(PreconditionFailedError.isInstance);
    },
  );

  it('sends the conditions only when the endpoint enforces them', async () => {
    s3.on(PutObjectCommand).resolves({ ETag: '"e"' });
    const lenient = createS3ObjectStore({ client, conditionalPut: false });
    await lenient.put('bucket', 'k', new Uint8Array([1]), { onlyIfAbsent: true, ifMatch: '"x"' });
    await store.put('bucket', 'k', new Uint8Array([1]), { onlyIfAbsent: true });
    const inputs = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(inputs[0]).toMatchObject({ IfNoneMatch: undefined, IfMatch: undefined });
    expect(inputs[1]).toMatchObject({ IfNoneMatch: '*' });
  });

  it('lets an abort through as AbortError', async () => {
    const abort = new Error('aborted');
    abort.name = 'AbortError';
    s3.on(HeadObjectCommand).rejects(abort);
    await expect(store.head('bucket', 'k')).rejects.toBe(abort);
  });
});

describe('S3 batch delete', () => {
  it('splits into requests of 1000 keys and reports per-key failures', async () => {
    s3.on(DeleteObjectsCommand).callsFake((input: { Delete: { Objects: { Key: string }[] } }) => ({
      Errors: input.Delete.Objects.filter((o) => o.Key === 'k-1500').map((o) => ({
        Key: o.Key,
        Code: 'AccessDenied',
        Message: 'denied',
      })),
    }));
    const keys = Array.from({ length: 2001 }, (_, index) => `k-${index}`);
    const result = await store.deleteMany!('bucket', keys);
    const batches = s3
      .commandCalls(DeleteObjectsCommand)
      .map((call) => call.args[0].input.Delete?.Objects?.length);
    expect(batches).toEqual([1000, 1000, 1]);
    expect(result.failed).toEqual([{ key: 'k-1500', code: 'AccessDenied', message: 'denied' }]);
    expect(result.deleted).toHaveLength(2000);
  });
});

describe('createS3Client', () => {
  it('uses adaptive retries, path style for custom endpoints and checksums only when required', async () => {
    const custom = createS3Client({ endpoint: 'http://127.0.0.1:9' });
    expect(await custom.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    expect(custom.config.forcePathStyle).toBe(true);
    expect(await custom.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await custom.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
    expect(createS3Client().config.forcePathStyle).toBe(false);
    // Conditions are sent everywhere; core probes whether a server enforces them.
    expect(
      createS3ObjectStore({ endpoint: 'http://127.0.0.1:9' }).capabilities.conditionalPut,
    ).toBe(true);
    expect(createS3ObjectStore({ region: 'eu-west-1' }).capabilities.conditionalPut).toBe(true);
  });
});
