import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { BodySource } from '@deltaglider/core';
import { abortable } from './abortable.js';
import type { PartBuffers } from './part-buffers.js';

/** How big objects are cut into parts. */
export interface MultipartSettings {
  /** Objects of at least this many bytes go up in parts. Default 64 MiB. */
  readonly threshold: number;
  /** Bytes per part (grown when 10,000 parts would not hold the object). Default 8 MiB. */
  readonly partSize: number;
  /**
   * Parts in memory and in flight at once, across every upload of the store (so 8 files going
   * up together still hold 4 parts, not 32). Default 4.
   */
  readonly concurrency: number;
}

/** Multipart settings as callers give them: any of them, each possibly `undefined` (the default). */
export type MultipartOptions = {
  readonly [Setting in keyof MultipartSettings]?: MultipartSettings[Setting] | undefined;
};

export const DEFAULT_MULTIPART: MultipartSettings = {
  threshold: 64 * 1024 * 1024,
  partSize: 8 * 1024 * 1024,
  concurrency: 4,
};

/** S3's own limits: parts but the last are at least 5 MiB, and there are at most 10,000. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

/** A multipart upload begun by this process: what it takes to abort it later. */
export interface JournaledUpload {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
}

/**
 * Told of each multipart upload between its start and its end (completed, or aborted), so
 * that one a killed process left (`kill -9` aborts nothing) can be aborted by the next run.
 */
export interface UploadJournal {
  started(upload: JournaledUpload): void;
  ended(upload: JournaledUpload): void;
}

export interface MultipartRequest {
  readonly bucket: string;
  readonly key: string;
  readonly journal?: UploadJournal | undefined;
  readonly source: BodySource;
  readonly contentType: string;
  readonly metadata: Record<string, string> | undefined;
  readonly serverSideEncryption:
    | { algorithm: 'AES256' | 'aws:kms'; kmsKeyId?: string | undefined }
    | undefined;
  /** Conditions checked when the parts are put together (CompleteMultipartUpload). */
  readonly ifNoneMatch: '*' | undefined;
  readonly ifMatch: string | undefined;
  readonly signal: AbortSignal | undefined;
}

/**
 * Uploads an object in parts read by range from its source, a few at a time: memory holds
 * `concurrency` part buffers of the store, reused, whatever the object's size, and a part the
 * SDK retries is re-sent from its buffer. Any failure or abort aborts the upload, so no parts are left to be billed.
 * Conditions go on CompleteMultipartUpload, where S3 checks them for multipart objects.
 */
export async function uploadInParts(
  client: S3Client,
  request: MultipartRequest,
  settings: MultipartSettings,
  partBuffers: PartBuffers,
): Promise<{ etag: string }> {
  const { bucket, key, source } = request;
  const partSize = Math.max(settings.partSize, MIN_PART_SIZE, Math.ceil(source.size / MAX_PARTS));
  const partCount = Math.max(1, Math.ceil(source.size / partSize));
  const created = await client.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      ContentType: request.contentType,
      Metadata: request.metadata,
      ServerSideEncryption: request.serverSideEncryption?.algorithm,
      SSEKMSKeyId: request.serverSideEncryption?.kmsKeyId,
    }),
    abortable(request.signal),
  );
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error(`CreateMultipartUpload for ${key} returned no upload id`);
  const journaled = { bucket, key, uploadId };
  request.journal?.started(journaled);
  // One part failing stops the others at their next request.
  const stop = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
  try {
    const parts: CompletedPart[] = new Array(partCount);
    let next = 0;
    const uploadParts = async () => {
      while (next < partCount) {
        const index = next++;
        const start = index * partSize;
        const end = Math.min(source.size, start + partSize);
        const part = await partBuffers.take(end - start, signal);
        let sent = false;
        try {
          // A read that hangs (a stalled network disk) must not hold up an abort.
          await untilAborted(readPart(source, start, part.bytes), signal);
          const response = await client.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key: key,
              UploadId: uploadId,
              PartNumber: index + 1,
              Body: part.bytes,
              ContentLength: part.bytes.byteLength,
            }),
            { abortSignal: signal },
          );
          sent = true;
          parts[index] = { PartNumber: index + 1, ETag: response.ETag };
        } finally {
          part.give(sent);
        }
      }
    };
    // The first failure is the one to report: the others are the aborts it caused.
    let firstFailure: { error: unknown } | undefined;
    const workers = Array.from({ length: Math.min(settings.concurrency, partCount) }, () =>
      uploadParts().catch((error: unknown) => {
        firstFailure ??= { error };
        stop.abort(error);
      }),
    );
    await Promise.all(workers);
    if (firstFailure) throw request.signal?.aborted ? request.signal.reason : firstFailure.error;
    const completed = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
        IfNoneMatch: request.ifNoneMatch,
        IfMatch: request.ifMatch,
      }),
      abortable(request.signal),
    );
    request.journal?.ended(journaled);
    return { etag: completed.ETag ?? '' };
  } catch (error) {
    // Not under the caller's signal: after Ctrl-C the parts must still go. An abort that
    // fails stays in the journal, for the next run to try again.
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
      .then(() => request.journal?.ended(journaled))
      .catch(() => undefined);
    throw error;
  }
}

/** Bytes `start`.. of the source, read straight into `part` (no second copy). */
async function readPart(source: BodySource, start: number, part: Uint8Array): Promise<void> {
  const end = start + part.byteLength;
  if (source.readInto) return source.readInto(part, 0, { start, end });
  let filled = 0;
  for await (const chunk of source.read({ start, end })) {
    if (filled + chunk.byteLength > part.byteLength) break;
    part.set(chunk, filled);
    filled += chunk.byteLength;
  }
  if (filled !== part.byteLength)
    throw new Error(`bytes ${start}-${end} of the body source ended after ${filled} bytes`);
}

/** `work`, or the abort's reason as soon as `signal` aborts, whichever comes first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // Work abandoned after an abort may still fail later; that is no longer anyone's error.
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
