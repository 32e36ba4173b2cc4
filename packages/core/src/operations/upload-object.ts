import {
  type DeltaDependencies,
  hashesOf,
  hashesOfSource,
  metadataContext,
} from '../delta/delta-dependencies.js';
import { deltaMetadata, directMetadata, referenceMetadata } from '../delta/deltaglider-metadata.js';
import {
  chooseReference,
  OBJECT_CONTENT_TYPE,
  referenceUsable,
} from '../delta/write-once-reference.js';
import { PreconditionFailedError } from '../errors/precondition-failed-error.js';
import { SourceChangedError } from '../errors/source-changed-error.js';
import {
  classifyKey,
  deltaKeyOf,
  nameOf,
  referenceKeyOf,
  refuseReservedKey,
} from '../layout/bucket-layout.js';
import { isDeltaCandidate } from '../layout/delta-candidate.js';
import type { BodySource } from '../ports/object-store.js';
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

/**
 * Stores one file under `key` as the Python DeltaGlider does: archives become a delta against
 * their directory's `reference.bin` (the first such upload becomes the reference, plus a
 * zero-diff delta), everything else is stored as is. Never overwrites a reference.
 *
 * Safe against racing uploads and removals on any server, by the order of requests alone
 * (docs/decisions.md, "Write-once references"): a reference is created only with an enforced
 * `If-None-Match: *`, never deleted by an upload or `rm`, and a delta is kept only once a HEAD
 * after it landed shows the reference it was made against. No listing and no timer decides.
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
  const signal = options.signal ? { signal: options.signal } : {};
  const name = nameOf(key);
  const { deltaspace } = classifyKey(key);
  const source = asBodySource(body);
  const size = source.size;
  const { sha256, md5 } = await hashesOfSource(source, hashesOf(dependencies)); // named by every write's metadata
  const context = metadataContext(dependencies);
  const base = { bucket, key, originalSize: size, sha256 };

  const storeDirect = async (): Promise<UploadResult> => {
    await putDirect(dependencies, bucket, key, source, {
      ...signal,
      metadata: directMetadata(context, { name, sha256, size }),
    });
    await refuseIfChanged(dependencies, bucket, key, source, signal);
    return { ...base, storedKey: key, storedAs: 'direct', storedSize: size };
  };

  // An empty file has nothing to share, and must not become a deltaspace's reference.
  if (!isDeltaCandidate(name) || size === 0) return storeDirect();

  const referenceKey = referenceKeyOf(deltaspace);
  const choice = await chooseReference(
    dependencies,
    bucket,
    deltaspace,
    { source, sha256, metadata: referenceMetadata(context, { name, sha256 }) },
    signal,
  );
  if (choice.kind === 'none') {
    noteStoredWhole(dependencies, `s3://${bucket}/${key} stored whole: ${choice.why}`);
    return storeDirect();
  }
  const { reference } = choice;
  const storedKey = deltaKeyOf(key);
  const put = await putDelta(dependencies, bucket, storedKey, reference.source, source, {
    ...signal,
    maxSize:
      choice.kind === 'created'
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
  // A delta too big to be worth it, or a reference it cannot rely on: the file is stored whole.
  const { store } = dependencies;
  if (!put || !(await referenceUsable(store, bucket, referenceKey, reference, signal)))
    return storeDirect();
  // Before the earlier version stored whole goes: a failed upload leaves that one in place.
  await refuseIfChanged(dependencies, bucket, storedKey, source, signal, {
    created: choice.kind === 'created' ? { key: referenceKey, etag: reference.etag } : undefined,
  });
  // An earlier version stored direct would otherwise be listed twice.
  await store.delete(bucket, key, signal);
  const fact = { storedKey, storedEtag: put.etag, storedSize: put.size, originalSize: size };
  await dependencies.listingFacts?.recordStored(bucket, { ...fact, originalEtag: md5 }, signal);
  const storedAs = choice.kind === 'created' ? 'reference' : 'delta';
  return { ...base, storedKey, storedAs, storedSize: put.size };
}

/** Said once as a warning per client (it means no savings there), then as info. */
function noteStoredWhole(dependencies: DeltaDependencies, message: string): void {
  const first = dependencies.conditionalWrites?.firstUnsafeNote() ?? true;
  if (first) dependencies.logger?.warn(message);
  else dependencies.logger?.info(message);
}

/**
 * A file written to while it was read may have been hashed as one version and stored as
 * another: what was stored is removed and the upload fails, never exits 0 with an object that
 * cannot be downloaded. A reference this upload created goes too (only while it is still the
 * one written): its bytes may not hash to its metadata, so no delta can have been made
 * against it (fetching a reference checks its hash).
 */
async function refuseIfChanged(
  dependencies: DeltaDependencies,
  bucket: string,
  storedKey: string,
  source: BodySource,
  signal: { signal?: AbortSignal },
  written: { created?: { key: string; etag: string } | undefined } = {},
): Promise<void> {
  if (!source.unchanged || (await source.unchanged())) return;
  await dependencies.store.delete(bucket, storedKey, signal);
  const { created } = written;
  if (created) {
    await dependencies.store
      .delete(bucket, created.key, { ...signal, ifMatch: created.etag })
      .catch((error: unknown) => {
        if (!PreconditionFailedError.isInstance(error)) throw error;
      });
  }
  throw new SourceChangedError(`s3://${bucket}/${storedKey}`);
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
      contentType: OBJECT_CONTENT_TYPE,
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
  options: { signal?: AbortSignal | undefined; metadata: Record<string, string> },
): Promise<void> {
  const signal = options.signal ? { signal: options.signal } : {};
  await dependencies.store.put(bucket, key, source, {
    ...signal,
    contentType: OBJECT_CONTENT_TYPE,
    metadata: options.metadata,
  });
  await dependencies.store.delete(bucket, deltaKeyOf(key), signal);
  // The delta removed may have had listing facts.
  await dependencies.listingFacts?.forgetKeys(bucket, [deltaKeyOf(key)], signal);
}
