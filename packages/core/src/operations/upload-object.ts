import {
  type DeltaDependencies,
  type FetchedReference,
  fetchReference,
  hashesOfSource,
  metadataContext,
} from '../delta/delta-dependencies.js';
import {
  deltaMetadata,
  describeStoredFile,
  directMetadata,
  referenceMetadata,
} from '../delta/deltaglider-metadata.js';
import {
  earlierCreationAnnounced,
  holdReferenceIntent,
  type ReferenceIntentTimings,
  waitForReferenceIntents,
} from '../delta/reference-intents.js';
import { PreconditionFailedError } from '../errors/precondition-failed-error.js';
import {
  classifyKey,
  deltaKeyOf,
  nameOf,
  referenceKeyOf,
  refuseReservedKey,
} from '../layout/bucket-layout.js';
import { isDeltaCandidate } from '../layout/delta-candidate.js';
import type { BodySource, ObjectHead, ObjectStore } from '../ports/object-store.js';
import { asBodySource } from '../store-support/put-body.js';

export interface UploadOptions {
  /** Keep a delta only when it is at most this fraction of the file. Default 0.5. */
  readonly maxRatio?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export type StoredAs = 'reference' | 'delta' | 'direct';

export interface UploadResult {
  readonly bucket: string;
  /** The key the user named (`dir/app-1.0.1.zip`). */
  readonly key: string;
  /** The key written (`dir/app-1.0.1.zip.delta`, or the user's key when direct). */
  readonly storedKey: string;
  /** `reference`: this upload created the deltaspace's reference (plus its zero-diff delta). */
  readonly storedAs: StoredAs;
  readonly originalSize: number;
  readonly storedSize: number;
  readonly sha256: string;
}

export const DEFAULT_MAX_RATIO = 0.5;
const CONTENT_TYPE = 'application/octet-stream';

/**
 * Stores one file under `key` as the Python DeltaGlider does: archives become a delta against
 * their directory's `reference.bin` (the first such upload becomes the reference, plus a
 * zero-diff delta), everything else is stored as is. Never overwrites a reference.
 *
 * The file is read as a stream (once to hash it, then by the codec or the PUT), so memory does
 * not grow with its size; bytes in memory are accepted too.
 */
export async function uploadObject(
  dependencies: DeltaDependencies,
  bucket: string,
  key: string,
  body: Uint8Array | BodySource,
  options: UploadOptions = {},
): Promise<UploadResult> {
  refuseReservedKey(key);
  const { store } = dependencies;
  const signal = options.signal ? { signal: options.signal } : {};
  const name = nameOf(key);
  const { deltaspace } = classifyKey(key);
  const source = asBodySource(body);
  const size = source.size;
  const { sha256, md5 } = await hashesOfSource(source); // named by every write's metadata
  const context = metadataContext(dependencies);
  const base = { bucket, key, originalSize: size, sha256 };

  const storeDirect = async (): Promise<UploadResult> => {
    await putDirect(dependencies, bucket, key, source, {
      ...signal,
      metadata: directMetadata(context, { name, sha256, size }),
    });
    return { ...base, storedKey: key, storedAs: 'direct', storedSize: size };
  };

  // An empty file has nothing to share, and must not become a deltaspace's reference.
  if (!isDeltaCandidate(name) || size === 0) return storeDirect();

  const referenceKey = referenceKeyOf(deltaspace);
  const intents = { ...signal, ...timingsOf(dependencies) };
  const { reference, created: createdReference } = await referenceFor(
    dependencies,
    bucket,
    deltaspace,
    { source, sha256, metadata: referenceMetadata(context, { name, sha256 }) },
    intents,
  );

  const storedKey = deltaKeyOf(key);
  const put = await putDelta(dependencies, bucket, storedKey, reference.source, source, {
    ...signal,
    maxSize: createdReference
      ? Number.POSITIVE_INFINITY
      : (options.maxRatio ?? DEFAULT_MAX_RATIO) * size,
    metadata: (deltaSize) =>
      deltaMetadata(context, {
        name,
        sha256,
        size,
        referenceKey,
        referenceSha256: reference.sha256,
        deltaSize,
        zeroDiff: sha256 === reference.sha256,
        encoderCommand: dependencies.codec.encoderCommand ?? 'xdelta3 -e -9',
      }),
  });
  // A delta too big to be worth it, or a reference that changed: the file is stored whole.
  if (!put || !(await referenceHolds(store, bucket, deltaspace, reference, intents)))
    return storeDirect();
  // An earlier version stored direct would otherwise be listed twice.
  await store.delete(bucket, key, signal);
  await dependencies.listingFacts?.recordStored(
    bucket,
    {
      storedKey,
      storedEtag: put.etag,
      storedSize: put.size,
      originalSize: size,
      originalEtag: md5,
    },
    signal,
  );
  return {
    ...base,
    storedKey,
    storedAs: createdReference ? 'reference' : 'delta',
    storedSize: put.size,
  };
}

/** Encodes and stores the delta, unless it is bigger than `maxSize`; its ETag and size. */
async function putDelta(
  dependencies: DeltaDependencies,
  bucket: string,
  storedKey: string,
  reference: BodySource,
  source: BodySource,
  options: {
    signal?: AbortSignal;
    maxSize: number;
    metadata: (deltaSize: number) => Record<string, string>;
  },
): Promise<{ etag: string; size: number } | undefined> {
  const signal = options.signal ? { signal: options.signal } : {};
  const delta = await dependencies.codec.encode(reference, source, signal);
  try {
    if (delta.size > options.maxSize) return undefined;
    const { etag } = await dependencies.store.put(bucket, storedKey, delta, {
      ...signal,
      contentType: CONTENT_TYPE,
      metadata: options.metadata(delta.size),
    });
    return { etag, size: delta.size };
  } finally {
    await delta.dispose();
  }
}

/** Stores the file as it is, and removes an earlier version's delta, which would shadow it. */
async function putDirect(
  dependencies: DeltaDependencies,
  bucket: string,
  key: string,
  source: BodySource,
  options: { signal?: AbortSignal; metadata: Record<string, string> },
): Promise<void> {
  const signal = options.signal ? { signal: options.signal } : {};
  await dependencies.store.put(bucket, key, source, {
    ...signal,
    contentType: CONTENT_TYPE,
    metadata: options.metadata,
  });
  await dependencies.store.delete(bucket, deltaKeyOf(key), signal);
  // The delta removed may have had listing facts.
  await dependencies.listingFacts?.forgetKeys(bucket, [deltaKeyOf(key)], signal);
}

/** The deltaspace's reference as stored, or this file made it. */
async function referenceFor(
  dependencies: DeltaDependencies,
  bucket: string,
  deltaspace: string,
  wanted: { source: BodySource; sha256: string; metadata: Record<string, string> },
  intents: { signal?: AbortSignal; timings?: ReferenceIntentTimings },
): Promise<{ reference: FetchedReference; created: boolean }> {
  const signal = intents.signal ? { signal: intents.signal } : {};
  const fetched = await fetchReference(dependencies, bucket, referenceKeyOf(deltaspace), signal);
  if (fetched) return { reference: fetched, created: false };
  return createReference(dependencies, bucket, deltaspace, wanted, intents);
}

/**
 * Makes this file the deltaspace's reference, or returns the one another upload made first.
 * Where only-if-absent is not enforced, another first upload's reference PUT could land after
 * ours: ours is announced by an intent, so every uploader that checks afterwards waits for it,
 * and a creator that sees an earlier announcement waits for that one instead of overwriting it.
 */
async function createReference(
  dependencies: DeltaDependencies,
  bucket: string,
  deltaspace: string,
  wanted: { source: BodySource; sha256: string; metadata: Record<string, string> },
  intents: { signal?: AbortSignal; timings?: ReferenceIntentTimings },
): Promise<{ reference: FetchedReference; created: boolean }> {
  const { store } = dependencies;
  const referenceKey = referenceKeyOf(deltaspace);
  const signal = intents.signal ? { signal: intents.signal } : {};
  const intent = store.capabilities.conditionalPut
    ? undefined
    : await holdReferenceIntent(store, bucket, deltaspace, 'create', intents);
  try {
    if (intent && (await earlierCreationAnnounced(store, bucket, deltaspace, intent.key, signal))) {
      await intent.release();
      await waitForReferenceIntents(store, bucket, deltaspace, intents);
    }
    const existing = intent
      ? await fetchReference(dependencies, bucket, referenceKey, signal)
      : undefined;
    if (existing) return { reference: existing, created: false };
    const { etag } = await store.put(bucket, referenceKey, wanted.source, {
      ...signal,
      contentType: CONTENT_TYPE,
      metadata: wanted.metadata,
      onlyIfAbsent: true,
    });
    return { reference: { source: wanted.source, sha256: wanted.sha256, etag }, created: true };
  } catch (error) {
    // Another upload created the reference first: delta against theirs.
    if (!PreconditionFailedError.isInstance(error)) throw error;
    const theirs = await fetchReference(dependencies, bucket, referenceKey, signal);
    if (!theirs) throw error;
    return { reference: theirs, created: false };
  } finally {
    await intent?.release();
  }
}

/**
 * The delta is only as good as the reference it was made against: once every announced
 * reference change has landed, that reference must still be the one stored.
 */
async function referenceHolds(
  store: ObjectStore,
  bucket: string,
  deltaspace: string,
  reference: FetchedReference,
  intents: { signal?: AbortSignal; timings?: ReferenceIntentTimings },
): Promise<boolean> {
  const settled = await waitForReferenceIntents(store, bucket, deltaspace, intents);
  const signal = intents.signal ? { signal: intents.signal } : {};
  const current = settled ? await store.head(bucket, referenceKeyOf(deltaspace), signal) : null;
  return current !== null && isSameReference(current, reference);
}

/** Whether the stored reference is the one fetched (or written): same SHA-256, else same ETag. */
function isSameReference(current: ObjectHead, reference: FetchedReference): boolean {
  const currentSha256 = describeStoredFile(current.metadata).sha256;
  if (currentSha256 !== undefined) return currentSha256 === reference.sha256;
  return reference.etag !== '' && current.etag === reference.etag;
}

function timingsOf(dependencies: DeltaDependencies): { timings?: ReferenceIntentTimings } {
  return dependencies.referenceIntentTimings
    ? { timings: dependencies.referenceIntentTimings }
    : {};
}
