import { AccessDeniedError } from '../errors/access-denied-error.js';
import { isAbortError } from '../errors/is-abort-error.js';
import { messageOf } from '../errors/message-of.js';
import { PreconditionFailedError } from '../errors/precondition-failed-error.js';
import type { ObjectStore, PutOptions } from '../ports/object-store.js';
import { BodyTooLargeError, readBody } from '../store-support/read-body.js';

// One JSON document kept in the bucket (a stats cache, the known-originals companion): read
// under a size cap, written only over the version that was read. Trouble is reported in words,
// never thrown: these objects are caches, and a cache must not break the call.

export interface BucketJsonPlace {
  readonly store: ObjectStore;
  readonly bucket: string;
  readonly key: string;
  readonly signal?: AbortSignal | undefined;
}

/** `etag` and `size` are the object's when it exists, so a rewrite replaces exactly it. */
export type BucketJsonRead =
  | { readonly kind: 'absent' }
  | {
      readonly kind: 'document';
      readonly document: unknown;
      readonly etag: string;
      readonly size: number;
    }
  | {
      readonly kind: 'unreadable';
      readonly reason: string;
      readonly etag?: string;
      readonly size?: number;
    };

/** Reads and parses the document, reading at most `maxBytes` of it. */
export async function readBucketJson(
  place: BucketJsonPlace,
  maxBytes: number,
): Promise<BucketJsonRead> {
  const { store, bucket, key, signal } = place;
  let stored: Awaited<ReturnType<ObjectStore['get']>>;
  try {
    stored = await store.get(bucket, key, { signal });
  } catch (error) {
    if (isAbortError(error)) throw error;
    return { kind: 'unreadable', reason: `could not read it: ${messageOf(error)}` };
  }
  if (!stored) return { kind: 'absent' };
  const { etag, size } = stored;
  const unreadable = (reason: string) => ({ kind: 'unreadable' as const, etag, size, reason });
  if (size > maxBytes) {
    await stored.body[Symbol.asyncIterator]().return?.();
    return unreadable(`it is ${size} bytes, over the ${maxBytes}-byte limit`);
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      await readBody(stored.body, maxBytes),
    );
    return { kind: 'document', document: JSON.parse(text) as unknown, etag, size };
  } catch (error) {
    if (isAbortError(error)) throw error;
    if (BodyTooLargeError.isInstance(error))
      return unreadable(`it is over the ${maxBytes}-byte limit`);
    return unreadable(`it is not valid JSON: ${messageOf(error)}`);
  }
}

/** Which version a write may replace: none there (`absent`), or the one with this ETag. */
export type WriteCondition = { readonly absent: true } | { readonly etag: string } | undefined;

export type BucketJsonWrite =
  | { readonly outcome: 'written' }
  | { readonly outcome: 'conflict' | 'denied' | 'failed'; readonly reason: string };

/** Writes the document where the condition holds (if the store enforces conditions). */
export async function writeBucketJson(
  place: BucketJsonPlace,
  text: string,
  condition: WriteCondition,
): Promise<BucketJsonWrite> {
  const { store, bucket, key, signal } = place;
  const options: PutOptions = {
    contentType: 'application/json',
    signal,
    onlyIfAbsent: condition && 'absent' in condition ? true : undefined,
    ifMatch: condition && 'etag' in condition ? condition.etag : undefined,
  };
  try {
    await store.put(bucket, key, new TextEncoder().encode(text), options);
    return { outcome: 'written' };
  } catch (error) {
    if (isAbortError(error)) throw error;
    if (PreconditionFailedError.isInstance(error))
      return { outcome: 'conflict', reason: 'another process updated it first; kept theirs' };
    const outcome = AccessDeniedError.isInstance(error) ? 'denied' : 'failed';
    return { outcome, reason: messageOf(error) };
  }
}
