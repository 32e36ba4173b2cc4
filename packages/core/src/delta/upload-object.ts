import { PreconditionFailedError } from '../errors/precondition-failed-error.js';
import { ReservedKeyError } from '../errors/reserved-key-error.js';
import { classifyKey, INTERNAL_PREFIX, referenceKeyOf } from '../stats/classify-key.js';
import { isDeltaCandidate } from './delta-candidate.js';
import {
  type DeltaDependencies,
  fetchReference,
  metadataContext,
  sha256Hex,
} from './delta-dependencies.js';
import {
  deltaMetadata,
  describeStoredFile,
  directMetadata,
  referenceMetadata,
} from './deltaglider-metadata.js';

export interface UploadOptions {
  /** Keep a delta only when it is at most this fraction of the file. Default 0.5. */
  readonly maxRatio?: number;
  readonly signal?: AbortSignal;
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
 */
export async function uploadObject(
  dependencies: DeltaDependencies,
  bucket: string,
  key: string,
  bytes: Uint8Array,
  options: UploadOptions = {},
): Promise<UploadResult> {
  refuseReservedKey(key);
  const { store } = dependencies;
  const signal = options.signal ? { signal: options.signal } : {};
  const maxRatio = options.maxRatio ?? DEFAULT_MAX_RATIO;
  const name = key.slice(key.lastIndexOf('/') + 1);
  const { deltaspace } = classifyKey(key);
  const sha256 = sha256Hex(bytes);
  const context = metadataContext(dependencies);
  const base = { bucket, key, originalSize: bytes.byteLength, sha256 };

  const storeDirect = async (): Promise<UploadResult> => {
    await store.put(bucket, key, bytes, {
      ...signal,
      contentType: CONTENT_TYPE,
      metadata: directMetadata(context, { name, sha256, size: bytes.byteLength }),
    });
    // An earlier version stored as a delta would otherwise shadow this one.
    await store.delete(bucket, `${key}.delta`, signal);
    return { ...base, storedKey: key, storedAs: 'direct', storedSize: bytes.byteLength };
  };

  // An empty file has nothing to share, and must not become a deltaspace's reference.
  if (!isDeltaCandidate(name) || bytes.byteLength === 0) return storeDirect();

  const referenceKey = referenceKeyOf(deltaspace);
  let createdReference = false;
  let reference = await fetchReference(dependencies, bucket, referenceKey, signal);
  if (!reference) {
    try {
      await store.put(bucket, referenceKey, bytes, {
        ...signal,
        contentType: CONTENT_TYPE,
        metadata: referenceMetadata(context, { name, sha256 }),
        onlyIfAbsent: true,
      });
      createdReference = true;
      reference = { bytes, sha256, metadata: referenceMetadata(context, { name, sha256 }) };
    } catch (error) {
      // Another upload created the reference first: delta against theirs.
      if (!PreconditionFailedError.isInstance(error)) throw error;
      reference = await fetchReference(dependencies, bucket, referenceKey, signal);
      if (!reference) throw error;
    }
  }

  const delta = await dependencies.codec.encode(reference.bytes, bytes, signal);
  if (!createdReference && delta.byteLength > maxRatio * bytes.byteLength) return storeDirect();

  const storedKey = `${key}.delta`;
  await store.put(bucket, storedKey, delta, {
    ...signal,
    contentType: CONTENT_TYPE,
    metadata: deltaMetadata(context, {
      name,
      sha256,
      size: bytes.byteLength,
      referenceKey,
      referenceSha256: reference.sha256,
      deltaSize: delta.byteLength,
      zeroDiff: sha256 === reference.sha256,
    }),
  });
  // Two races can leave this delta without the reference it was made against: an `rm` of the
  // deltaspace's last delta removing it, or (on a store that does not enforce only-if-absent)
  // another first upload replacing it. Check after writing; restore it, or store the file whole
  // (which also removes this delta).
  const current = await store.head(bucket, referenceKey, signal);
  const currentSha256 = current ? describeStoredFile(current.metadata).sha256 : undefined;
  if (!current) {
    try {
      await store.put(bucket, referenceKey, reference.bytes, {
        ...signal,
        contentType: CONTENT_TYPE,
        metadata: reference.metadata,
        onlyIfAbsent: true,
      });
    } catch (error) {
      if (!PreconditionFailedError.isInstance(error)) throw error;
      const replaced = await fetchReference(dependencies, bucket, referenceKey, signal);
      if (replaced?.sha256 !== reference.sha256) return storeDirect();
    }
  } else if (currentSha256 !== undefined && currentSha256 !== reference.sha256) {
    return storeDirect();
  }
  // An earlier version stored direct would otherwise be listed twice.
  await store.delete(bucket, key, signal);
  return {
    ...base,
    storedKey,
    storedAs: createdReference ? 'reference' : 'delta',
    storedSize: delta.byteLength,
  };
}

function refuseReservedKey(key: string): void {
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (name === '') throw new ReservedKeyError(key, 'a key must name a file');
  if (key.startsWith(INTERNAL_PREFIX))
    throw new ReservedKeyError(key, `${INTERNAL_PREFIX} holds DeltaGlider's own files`);
  if (name === 'reference.bin')
    throw new ReservedKeyError(key, 'reference.bin is the deltaspace reference');
  if (name.endsWith('.delta'))
    throw new ReservedKeyError(key, '.delta names are DeltaGlider deltas');
}
