import { CodecError } from '../errors/codec-error.js';
import { IntegrityError } from '../errors/integrity-error.js';
import { ObjectNotFoundError } from '../errors/object-not-found-error.js';
import { readBody } from '../listing/read-body.js';
import type { StoredObject } from '../ports/object-store.js';
import { classifyKey, referenceKeyOf } from '../stats/classify-key.js';
import { type DeltaDependencies, fetchReference, sha256Hex } from './delta-dependencies.js';
import { describeStoredFile } from './deltaglider-metadata.js';

export interface DownloadResult {
  /** The user's key (`dir/app.zip`), whichever form was asked for. */
  readonly key: string;
  readonly storedKey: string;
  readonly storedAs: 'delta' | 'direct';
  readonly bytes: Uint8Array;
  readonly sha256: string;
  /** The SHA-256 the metadata promised, when it promised one (always, for deltas). */
  readonly expectedSha256: string | undefined;
}

/**
 * Fetches a file by its user name (`x.zip`) or its stored name (`x.zip.delta`), rebuilding a
 * delta against its reference. Throws `IntegrityError` when the bytes do not hash to what the
 * metadata promises, so a caller never writes a wrong file.
 */
export async function downloadObject(
  dependencies: DeltaDependencies,
  bucket: string,
  key: string,
  options: { signal?: AbortSignal } = {},
): Promise<DownloadResult> {
  const { store } = dependencies;
  const request = options.signal ? { signal: options.signal } : {};
  const userKey = key.endsWith('.delta') ? key.slice(0, -'.delta'.length) : key;
  const stored =
    (key.endsWith('.delta') ? null : await store.get(bucket, key, request)) ??
    (await store.get(bucket, `${userKey}.delta`, request));
  if (!stored) throw new ObjectNotFoundError(bucket, key);

  const described = describeStoredFile(stored.metadata);
  const isDelta = described.referenceKey !== undefined || stored.key.endsWith('.delta');
  const bytes = isDelta
    ? await rebuild(dependencies, bucket, stored, request)
    : await readBody(stored.body);
  const sha256 = sha256Hex(bytes);
  if (described.sha256 && described.sha256 !== sha256) {
    throw new IntegrityError(
      stored.key,
      isDelta ? 'the rebuilt file' : 'the file',
      described.sha256,
      sha256,
    );
  }
  return {
    key: userKey,
    storedKey: stored.key,
    storedAs: isDelta ? 'delta' : 'direct',
    bytes,
    sha256,
    expectedSha256: described.sha256,
  };
}

async function rebuild(
  dependencies: DeltaDependencies,
  bucket: string,
  stored: StoredObject,
  request: { signal?: AbortSignal },
): Promise<Uint8Array> {
  const described = describeStoredFile(stored.metadata);
  const delta = await readBody(stored.body);
  const referenceKey = described.referenceKey ?? referenceKeyOf(classifyKey(stored.key).deltaspace);
  const reference = await fetchReference(dependencies, bucket, referenceKey, request);
  if (!reference) throw new ObjectNotFoundError(bucket, referenceKey);
  // The delta only rebuilds the file against the exact reference it was made from.
  if (described.referenceSha256 && described.referenceSha256 !== reference.sha256) {
    throw new IntegrityError(
      stored.key,
      'the reference it was made against',
      described.referenceSha256,
      reference.sha256,
    );
  }
  try {
    return await dependencies.codec.decode(reference.bytes, delta, request);
  } catch (error) {
    if (!CodecError.isInstance(error)) throw error;
    throw new CodecError(`delta s3://${bucket}/${stored.key} is corrupt (${error.message})`, {
      cause: error,
    });
  }
}
