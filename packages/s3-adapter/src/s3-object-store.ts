import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  AccessDeniedError,
  type BodySource,
  type BucketProtection,
  type BucketSummary,
  type DeleteFailure,
  type ListPage,
  type ObjectHead,
  type ObjectStore,
  type ObjectSummary,
  type ObjectVersion,
  PreconditionFailedError,
  type StoredObject,
  StoreUnavailableError,
  type UploadPart,
} from '@deltaglider/core';
import { lowerCaseMetadataKeys, resolveMaxKeys } from '@deltaglider/core/adapter-kit';
import { abortable } from './abortable.js';
import { createS3Client, type S3ClientSettings } from './create-s3-client.js';
import { describeS3Error, isMissingKey, mapS3Error } from './map-s3-error.js';
import { decodeMetadata, encodeMetadata } from './metadata-encoding.js';
import {
  DEFAULT_MULTIPART,
  type MultipartOptions,
  type MultipartSettings,
  type UploadJournal,
  uploadInParts,
} from './multipart-upload.js';
import { PartBuffers } from './part-buffers.js';
import { resumableBody } from './resumable-body.js';

export type S3ObjectStoreOptions = (
  | {
      /** A client the caller built and owns: tests and apps can share one. */
      readonly client: S3Client;
    }
  | S3ClientSettings
) & {
  /**
   * Whether to send `If-None-Match`/`If-Match` on PUT and `If-Match` on DELETE. Default true:
   * servers that do not support them ignore them, and core probes whether they are enforced.
   * False only for a server that refuses requests carrying them.
   */
  readonly conditionalPut?: boolean | undefined;
  /** Server-side encryption asked for on every PUT (uploads and cache writes alike). */
  readonly serverSideEncryption?: ServerSideEncryption | undefined;
  /**
   * When streamed bodies go up in parts, and how big the parts are: `threshold` (default 64 MiB),
   * `partSize` (default 8 MiB, at least 5 MiB), `concurrency` (parts in flight across all uploads of this store, default 4).
   */
  readonly multipart?: MultipartOptions | undefined;
  /** Told of each multipart upload until it ends, so a killed process's can be aborted later. */
  readonly uploadJournal?: UploadJournal | undefined;
};

/** `AES256` (S3-managed keys) or `aws:kms` (with a key id, else the bucket's default key). */
export interface ServerSideEncryption {
  readonly algorithm: 'AES256' | 'aws:kms';
  readonly kmsKeyId?: string | undefined;
}

/** S3 deletes at most this many keys per DeleteObjects request. */
const DELETE_BATCH_SIZE = 1000;

export function createS3ObjectStore(options: S3ObjectStoreOptions = {}): ObjectStore {
  const client = 'client' in options ? options.client : createS3Client(options);
  const conditionalPut = options.conditionalPut ?? true;
  const given = options.multipart;
  const multipart: MultipartSettings = {
    threshold: given?.threshold ?? DEFAULT_MULTIPART.threshold,
    partSize: given?.partSize ?? DEFAULT_MULTIPART.partSize,
    concurrency: given?.concurrency ?? DEFAULT_MULTIPART.concurrency,
  };
  const partBuffers = new PartBuffers(multipart.concurrency);

  async function send<Output>(
    target: { bucket: string; key?: string },
    call: () => Promise<Output>,
  ): Promise<Output> {
    try {
      return await call();
    } catch (error) {
      throw mapS3Error(error, target);
    }
  }

  return {
    capabilities: { conditionalPut },

    async head(bucket, key, request = {}) {
      try {
        const response = await client.send(
          new HeadObjectCommand({ Bucket: bucket, Key: key }),
          abortable(request.signal),
        );
        return headOf(key, response);
      } catch (error) {
        if (isMissingKey(error)) return null;
        throw mapS3Error(error, { bucket, key });
      }
    },

    async get(bucket, key, request = {}): Promise<StoredObject | null> {
      try {
        const response = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key }),
          abortable(request.signal),
        );
        // In Node the SDK's body is a Readable: async-iterable, and destroyed when a
        // for-await loop over it ends early, which frees the socket.
        const body = response.Body as AsyncIterable<Uint8Array> | undefined;
        const head = headOf(key, response);
        const reopen = async (offset: number): Promise<AsyncIterable<Uint8Array>> => {
          if (offset >= head.size) return emptyBody();
          try {
            const again = await client.send(
              new GetObjectCommand({
                Bucket: bucket,
                Key: key,
                Range: `bytes=${offset}-`,
                ...(head.etag ? { IfMatch: head.etag } : {}),
              }),
              abortable(request.signal),
            );
            return (again.Body as AsyncIterable<Uint8Array> | undefined) ?? emptyBody();
          } catch (error) {
            throw mapS3Error(error, { bucket, key });
          }
        };
        return { ...head, body: body ? resumableBody(body, reopen, { bucket, key }) : emptyBody() };
      } catch (error) {
        if (isMissingKey(error)) return null;
        throw mapS3Error(error, { bucket, key });
      }
    },

    async put(bucket, key, body, putOptions = {}) {
      const fields = {
        Bucket: bucket,
        Key: key,
        ContentType: putOptions.contentType ?? 'application/octet-stream',
        Metadata: encodeMetadata(putOptions.metadata),
        ServerSideEncryption: options.serverSideEncryption?.algorithm,
        SSEKMSKeyId: options.serverSideEncryption?.kmsKeyId,
        IfNoneMatch: conditionalPut && putOptions.onlyIfAbsent ? ('*' as const) : undefined,
        IfMatch: conditionalPut ? putOptions.ifMatch : undefined,
      };
      try {
        if (body instanceof Uint8Array) {
          const command = new PutObjectCommand({
            ...fields,
            Body: body,
            ContentLength: body.byteLength,
          });
          const response = await client.send(command, abortable(putOptions.signal));
          return { etag: response.ETag ?? '' };
        }
        if (body.size >= multipart.threshold) {
          return await uploadInParts(
            client,
            {
              bucket,
              key,
              source: body,
              contentType: fields.ContentType,
              metadata: fields.Metadata,
              serverSideEncryption: options.serverSideEncryption,
              ifNoneMatch: fields.IfNoneMatch,
              ifMatch: fields.IfMatch,
              signal: putOptions.signal,
              journal: options.uploadJournal,
            },
            multipart,
            partBuffers,
          );
        }
        return await putStreamed(client, fields, body, putOptions.signal);
      } catch (error) {
        // If-Match on a key that is gone answers 404: the condition did not hold.
        if (putOptions.ifMatch !== undefined && conditionalPut && isMissingKey(error)) {
          throw new PreconditionFailedError(bucket, key, { cause: error });
        }
        throw mapS3Error(error, { bucket, key });
      }
    },

    async list(bucket, listOptions = {}): Promise<ListPage> {
      const response = await send({ bucket }, () =>
        client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: listOptions.prefix || undefined,
            Delimiter: listOptions.delimiter || undefined,
            StartAfter:
              listOptions.cursor === undefined ? listOptions.startAfter || undefined : undefined,
            ContinuationToken: listOptions.cursor,
            MaxKeys: resolveMaxKeys(listOptions.maxKeys),
          }),
          abortable(listOptions.signal),
        ),
      );
      const objects: ObjectSummary[] = (response.Contents ?? []).flatMap((entry) =>
        entry.Key === undefined
          ? []
          : [
              {
                key: entry.Key,
                size: entry.Size ?? 0,
                etag: entry.ETag ?? '',
                lastModified: entry.LastModified ?? new Date(0),
                storageClass: entry.StorageClass,
              },
            ],
      );
      const commonPrefixes = (response.CommonPrefixes ?? []).flatMap((entry) =>
        entry.Prefix === undefined ? [] : [entry.Prefix],
      );
      const nextCursor = response.IsTruncated ? response.NextContinuationToken : undefined;
      return nextCursor ? { objects, commonPrefixes, nextCursor } : { objects, commonPrefixes };
    },

    async delete(bucket, key, request = {}) {
      const ifMatch = conditionalPut ? request.ifMatch : undefined;
      try {
        await client.send(
          new DeleteObjectCommand({ Bucket: bucket, Key: key, IfMatch: ifMatch }),
          abortable(request.signal),
        );
      } catch (error) {
        // If-Match on a key that is gone answers 404: already deleted, as asked.
        if (ifMatch !== undefined && isMissingKey(error)) return;
        throw mapS3Error(error, { bucket, key });
      }
    },

    async bucketProtection(bucket, request = {}): Promise<BucketProtection> {
      // Denied either question: say so, and let the caller be careful.
      const ask = async <T>(question: () => Promise<T>, answer: (result: T) => unknown) => {
        try {
          return answer(await question());
        } catch (error) {
          const mapped = mapS3Error(error, { bucket });
          if (AccessDeniedError.isInstance(mapped)) return 'unknown' as const;
          if (describeS3Error(error).code === 'ObjectLockConfigurationNotFoundError') return false;
          throw mapped;
        }
      };
      const versioning = await ask(
        () =>
          client.send(
            new GetBucketVersioningCommand({ Bucket: bucket }),
            abortable(request.signal),
          ),
        (result) =>
          result.Status === 'Enabled'
            ? 'enabled'
            : result.Status === 'Suspended'
              ? 'suspended'
              : 'off',
      );
      const defaultRetention = await ask(
        () =>
          client.send(
            new GetObjectLockConfigurationCommand({ Bucket: bucket }),
            abortable(request.signal),
          ),
        (result) =>
          result.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled' &&
          result.ObjectLockConfiguration.Rule?.DefaultRetention !== undefined,
      );
      return {
        versioning: versioning as BucketProtection['versioning'],
        defaultRetention: defaultRetention as BucketProtection['defaultRetention'],
      };
    },

    async listBuckets(request = {}) {
      const buckets: BucketSummary[] = [];
      let token: string | undefined;
      do {
        const page = await send({ bucket: '' }, () =>
          client.send(
            new ListBucketsCommand({ ContinuationToken: token }),
            abortable(request.signal),
          ),
        );
        for (const bucket of page.Buckets ?? [])
          if (bucket.Name) buckets.push({ name: bucket.Name, createdAt: bucket.CreationDate });
        token = page.ContinuationToken;
      } while (token);
      return buckets;
    },

    async listVersions(bucket, options = {}) {
      const [keyMarker, versionIdMarker] = markersOf(options.cursor);
      const response = await send({ bucket }, () =>
        client.send(
          new ListObjectVersionsCommand({
            Bucket: bucket,
            Prefix: options.prefix || undefined,
            KeyMarker: keyMarker,
            VersionIdMarker: versionIdMarker,
            MaxKeys: 1000,
          }),
          abortable(options.signal),
        ),
      );
      const versionOf = (
        entry: {
          Key?: string | undefined;
          VersionId?: string | undefined;
          IsLatest?: boolean | undefined;
          LastModified?: Date | undefined;
        },
        size: number,
        isDeleteMarker: boolean,
        storageClass?: string | undefined,
      ): ObjectVersion[] =>
        entry.Key === undefined
          ? []
          : [
              {
                key: entry.Key,
                versionId: entry.VersionId ?? 'null',
                size,
                isLatest: entry.IsLatest ?? false,
                isDeleteMarker,
                lastModified: entry.LastModified ?? new Date(0),
                storageClass,
              },
            ];
      const versions = [
        ...(response.Versions ?? []).flatMap((entry) =>
          versionOf(entry, entry.Size ?? 0, false, entry.StorageClass),
        ),
        ...(response.DeleteMarkers ?? []).flatMap((entry) => versionOf(entry, 0, true)),
      ];
      const nextCursor = cursorOf(response, response.NextVersionIdMarker);
      return nextCursor ? { versions, nextCursor } : { versions };
    },

    async listUploads(bucket, options = {}) {
      const [keyMarker, uploadIdMarker] = markersOf(options.cursor);
      const response = await send({ bucket }, () =>
        client.send(
          new ListMultipartUploadsCommand({
            Bucket: bucket,
            Prefix: options.prefix || undefined,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
            MaxUploads: 1000,
          }),
          abortable(options.signal),
        ),
      );
      const uploads = (response.Uploads ?? []).flatMap((upload) =>
        upload.Key === undefined || upload.UploadId === undefined
          ? []
          : [
              {
                key: upload.Key,
                uploadId: upload.UploadId,
                initiated: upload.Initiated ?? new Date(0),
                storageClass: upload.StorageClass,
              },
            ],
      );
      const nextCursor = cursorOf(response, response.NextUploadIdMarker);
      return nextCursor ? { uploads, nextCursor } : { uploads };
    },

    async listParts(bucket, upload, request = {}) {
      const parts: UploadPart[] = [];
      let marker: string | undefined;
      do {
        const response = await client
          .send(
            new ListPartsCommand({
              Bucket: bucket,
              Key: upload.key,
              UploadId: upload.uploadId,
              PartNumberMarker: marker,
            }),
            abortable(request.signal),
          )
          .catch((error: unknown) => {
            // Finished or aborted since it was listed: it holds no parts now.
            if (describeS3Error(error).code === 'NoSuchUpload') return undefined;
            throw mapS3Error(error, { bucket, key: upload.key });
          });
        if (!response) return [];
        for (const part of response.Parts ?? [])
          parts.push({ partNumber: part.PartNumber ?? 0, size: part.Size ?? 0 });
        marker = response.IsTruncated ? response.NextPartNumberMarker : undefined;
      } while (marker !== undefined);
      return parts;
    },

    async abortUpload(bucket, upload, request = {}) {
      try {
        await client.send(
          new AbortMultipartUploadCommand({
            Bucket: bucket,
            Key: upload.key,
            UploadId: upload.uploadId,
          }),
          abortable(request.signal),
        );
      } catch (error) {
        // Finished or aborted meanwhile: nothing left to abort.
        if (describeS3Error(error).code === 'NoSuchUpload') return;
        throw mapS3Error(error, { bucket, key: upload.key });
      }
    },

    async deleteNoncurrentVersions(bucket, key, request = {}) {
      const listed = await send({ bucket, key }, () =>
        client.send(
          new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, MaxKeys: 1000 }),
          abortable(request.signal),
        ),
      );
      const noncurrent = (listed.Versions ?? []).filter(
        (version) => version.Key === key && !version.IsLatest && version.VersionId !== undefined,
      );
      for (const version of noncurrent) {
        await send({ bucket, key }, () =>
          client.send(
            new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: version.VersionId }),
            abortable(request.signal),
          ),
        );
      }
      return noncurrent.length;
    },

    async deleteMany(bucket, keys, request = {}) {
      const deleted: string[] = [];
      const failed: DeleteFailure[] = [];
      for (let start = 0; start < keys.length; start += DELETE_BATCH_SIZE) {
        const batch = keys.slice(start, start + DELETE_BATCH_SIZE);
        // Quiet mode: S3 reports only failures, so the response stays small.
        const response = await send({ bucket }, () =>
          client.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: batch.map((key) => ({ Key: key })), Quiet: true },
            }),
            abortable(request.signal),
          ),
        );
        const failedKeys = new Set<string>();
        for (const error of response.Errors ?? []) {
          if (error.Key === undefined) continue;
          failedKeys.add(error.Key);
          failed.push({
            key: error.Key,
            code: error.Code ?? 'Unknown',
            message: error.Message ?? '',
          });
        }
        deleted.push(...batch.filter((key) => !failedKeys.has(key)));
      }
      return { deleted, failed };
    },
  };
}

interface HeadFields {
  readonly ContentLength?: number | undefined;
  readonly ETag?: string | undefined;
  readonly LastModified?: Date | undefined;
  readonly ContentType?: string | undefined;
  readonly Metadata?: Record<string, string> | undefined;
}

function headOf(key: string, response: HeadFields): ObjectHead {
  return {
    key,
    size: response.ContentLength ?? 0,
    etag: response.ETag ?? '',
    lastModified: response.LastModified ?? new Date(0),
    contentType: response.ContentType,
    metadata: decodeMetadata(lowerCaseMetadataKeys(response.Metadata ?? {})),
  };
}

/** Attempts of a streamed PUT: the SDK does not retry a request whose body is a stream. */
const STREAMED_PUT_ATTEMPTS = 3;

/**
 * One PutObject whose body is read from its source as it is sent. A retryable failure (the
 * server or the network) is retried here with the source read anew.
 */
async function putStreamed(
  client: S3Client,
  fields: Omit<PutObjectCommandInput, 'Body' | 'ContentLength'>,
  source: BodySource,
  signal: AbortSignal | undefined,
): Promise<{ etag: string }> {
  for (let attempt = 1; ; attempt++) {
    // The SDK pipes the body into the request, and a pipe does not pass on errors: a source
    // failing midway would leave the request waiting for bytes. It aborts the request instead.
    const sourceFailed = new AbortController();
    let failure: { error: unknown } | undefined;
    async function* watched(): AsyncGenerator<Uint8Array> {
      try {
        yield* source.read();
      } catch (error) {
        failure = { error };
        sourceFailed.abort(error);
        throw error;
      }
    }
    const body = Readable.from(watched());
    // Reported through the abort above; unlistened, the stream's error would crash the process.
    body.on('error', () => undefined);
    try {
      const response = await client.send(
        new PutObjectCommand({
          ...fields,
          Body: body,
          ContentLength: source.size,
        }),
        {
          abortSignal: signal
            ? AbortSignal.any([signal, sourceFailed.signal])
            : sourceFailed.signal,
        },
      );
      return { etag: response.ETag ?? '' };
    } catch (error) {
      if (failure) throw failure.error;
      const mapped = mapS3Error(error, { bucket: fields.Bucket ?? '', key: fields.Key ?? '' });
      if (attempt >= STREAMED_PUT_ATTEMPTS || !StoreUnavailableError.isInstance(mapped))
        throw error;
      if (signal?.aborted) throw error;
      await delay(100 * 2 ** attempt, undefined, signal ? { signal } : {});
    }
  }
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

/**
 * Version and upload listings page by two markers (a key, and a version or upload id): the
 * cursor carries both, as JSON.
 */
function cursorOf(
  response: {
    readonly IsTruncated?: boolean | undefined;
    readonly NextKeyMarker?: string | undefined;
  },
  idMarker: string | undefined,
): string | undefined {
  return response.IsTruncated && response.NextKeyMarker !== undefined
    ? JSON.stringify([response.NextKeyMarker, idMarker])
    : undefined;
}

function markersOf(cursor: string | undefined): [string | undefined, string | undefined] {
  return cursor ? (JSON.parse(cursor) as [string, string | undefined]) : [undefined, undefined];
}
