import { PreconditionFailedError } from '../errors/precondition-failed-error.js';
import { referenceKeyOf } from '../layout/bucket-layout.js';
import type { ObjectHead, ObjectStore, RequestOptions } from '../ports/object-store.js';
import { ConditionalWrites } from './conditional-writes.js';
import {
  type DeltaDependencies,
  type FetchedReference,
  fetchReference,
} from './delta-dependencies.js';
import { describeStoredFile } from './deltaglider-metadata.js';
import { claimReference } from './reference-retirement.js';

/** What every object DeltaGlider writes is labelled, as the Python tool labels them. */
export const OBJECT_CONTENT_TYPE = 'application/octet-stream';

/** A file about to become a deltaspace's reference. */
export interface ReferenceCandidate {
  readonly source: FetchedReference['source'];
  readonly sha256: string;
  readonly metadata: Record<string, string>;
}

export type ReferenceChoice =
  | { readonly kind: 'existing' | 'created'; readonly reference: FetchedReference }
  /** No reference, and none can be created safely here: the file is stored whole. */
  | { readonly kind: 'none'; readonly why: string };

/**
 * The deltaspace's reference: the one stored, or this file, written once. A reference is only
 * ever created with `If-None-Match: *` on a server that enforces it (probed), so no upload ever
 * replaces one that a delta may already depend on. Where the server ignores the condition, no
 * reference is created: the first upload of a directory is stored whole.
 */
export async function chooseReference(
  dependencies: DeltaDependencies,
  bucket: string,
  deltaspace: string,
  candidate: ReferenceCandidate,
  options: RequestOptions,
): Promise<ReferenceChoice> {
  const key = referenceKeyOf(deltaspace);
  const existing = await fetchReference(dependencies, bucket, key, options);
  if (existing) return { kind: 'existing', reference: existing };
  const conditional = dependencies.conditionalWrites ?? new ConditionalWrites(dependencies.store);
  const support = await conditional.support(bucket, options);
  if (!support.put)
    return {
      kind: 'none',
      why: 'the server does not enforce If-None-Match, so a reference created here could be replaced by a racing upload',
    };
  try {
    const { etag } = await dependencies.store.put(bucket, key, candidate.source, {
      ...options,
      contentType: OBJECT_CONTENT_TYPE,
      metadata: candidate.metadata,
      onlyIfAbsent: true,
    });
    const reference = { source: candidate.source, sha256: candidate.sha256, etag };
    return { kind: 'created', reference };
  } catch (error) {
    // Another upload created it first: delta against theirs.
    if (!PreconditionFailedError.isInstance(error)) throw error;
    const theirs = await fetchReference(dependencies, bucket, key, options);
    if (theirs) return { kind: 'existing', reference: theirs };
    return { kind: 'none', why: 'the reference another upload created is gone again' };
  }
}

/**
 * Whether a delta just stored against `reference` may be kept: the upload claims it, so `gc` is
 * not retiring it (reference-retirement.ts), and a HEAD after the delta landed (read-after-write
 * consistent) shows it unchanged, as another tool may replace it. References are write-once and
 * only `gc` deletes them, so the answer cannot turn false for a delta checked here.
 */
export async function referenceUsable(
  store: ObjectStore,
  bucket: string,
  referenceKey: string,
  reference: FetchedReference,
  options: RequestOptions,
): Promise<boolean> {
  if (!(await claimReference(store, bucket, referenceKey, reference.etag, options))) return false;
  const current = await store.head(bucket, referenceKey, options);
  return current !== null && isSameReference(current, reference);
}

/** Same SHA-256, else (a reference written without one) same ETag. */
function isSameReference(current: ObjectHead, reference: FetchedReference): boolean {
  const currentSha256 = describeStoredFile(current.metadata).sha256;
  if (currentSha256 !== undefined) return currentSha256 === reference.sha256;
  return reference.etag !== '' && current.etag === reference.etag;
}
