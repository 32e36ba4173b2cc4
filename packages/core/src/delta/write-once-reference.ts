import { PreconditionFailedError } from '../errors/precondition-failed-error.js';
import { referenceKeyOf } from '../layout/bucket-layout.js';
import type { ObjectHead, RequestOptions } from '../ports/object-store.js';
import { ConditionalWrites } from './conditional-writes.js';
import {
  type DeltaDependencies,
  type FetchedReference,
  fetchReference,
} from './delta-dependencies.js';
import { describeStoredFile } from './deltaglider-metadata.js';

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
      contentType: 'application/octet-stream',
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
 * Whether the stored reference is still the one a delta was made against, read after the delta
 * landed (HEAD is read-after-write consistent). References are write-once and only `gc`
 * deletes them, after a grace period, so the answer cannot turn false for a delta checked here.
 */
export async function referenceStillHolds(
  dependencies: DeltaDependencies,
  bucket: string,
  deltaspace: string,
  reference: FetchedReference,
  options: RequestOptions,
): Promise<boolean> {
  const current = await dependencies.store.head(bucket, referenceKeyOf(deltaspace), options);
  return current !== null && isSameReference(current, reference);
}

/** Same SHA-256, else (a reference written without one) same ETag. */
function isSameReference(current: ObjectHead, reference: FetchedReference): boolean {
  const currentSha256 = describeStoredFile(current.metadata).sha256;
  if (currentSha256 !== undefined) return currentSha256 === reference.sha256;
  return reference.etag !== '' && current.etag === reference.etag;
}
