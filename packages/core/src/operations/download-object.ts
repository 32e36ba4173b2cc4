import { type DeltaDependencies, fetchReference, hashesOf } from '../delta/delta-dependencies.js';
import { describeStoredFile } from '../delta/deltaglider-metadata.js';
import { CodecError } from '../errors/codec-error.js';
import { IntegrityError } from '../errors/integrity-error.js';
import { ObjectNotFoundError } from '../errors/object-not-found-error.js';
import type { IncrementalHash } from '../hashing/incremental-hash.js';
import {
  classifyKey,
  deltaKeyOf,
  isDeltaKey,
  referenceKeyOf,
  userKeyOf,
} from '../layout/bucket-layout.js';
import type { StoredObject } from '../ports/object-store.js';

export interface DownloadResult {
  /** The user's key (`dir/app.zip`), whichever form was asked for. */
  readonly key: string;
  readonly storedKey: string;
  readonly storedAs: 'delta' | 'direct';
  /** The SHA-256 of the bytes handed to the writer. */
  readonly sha256: string;
  /** How many bytes the writer was handed: the file's size. */
  readonly size: number;
  /** The SHA-256 the metadata promised, when it promised one (always, for deltas). */
  readonly expectedSha256: string | undefined;
}

/**
 * Where a download's bytes go, as they are rebuilt. Iterating `body` rejects with
 * `IntegrityError` on its last step when the bytes do not hash to what the metadata promises,
 * so a writer that only publishes what it wrote once the iteration ended never publishes a wrong
 * file.
 */
export type DownloadWriter = (body: AsyncIterable<Uint8Array>) => Promise<void>;

export interface DownloadOptions {
  readonly signal?: AbortSignal | undefined;
  /**
   * The writer has let go of each chunk by the time it asks for the one after next (its write
   * of a chunk ends before then): the codec may hand chunks over in memory it used before
   * (`DeltaCodec.decode`). Default false: the writer may keep chunks.
   */
  readonly reuseChunks?: boolean | undefined;
}

/**
 * Fetches a file by its user name (`x.zip`) or its stored name (`x.zip.delta`), rebuilding a
 * delta against its reference, and streams it to `write`: memory does not grow with its size.
 */
export async function downloadObject(
  dependencies: DeltaDependencies,
  bucket: string,
  key: string,
  write: DownloadWriter,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const { store } = dependencies;
  const request = options.signal ? { signal: options.signal } : {};
  const userKey = userKeyOf(key);
  const stored =
    (isDeltaKey(key) ? null : await store.get(bucket, key, request)) ??
    (await store.get(bucket, deltaKeyOf(userKey), request));
  if (!stored) throw new ObjectNotFoundError(bucket, key);

  const described = describeStoredFile(stored.metadata);
  const isDelta = described.referenceKey !== undefined || isDeltaKey(stored.key);
  const bytes = isDelta
    ? await rebuild(dependencies, bucket, stored, request, options.reuseChunks)
    : stored.body;
  const checked = { sha256: '', size: 0 };
  await write(
    verified(bytes, hashesOf(dependencies)('sha256'), described.sha256, checked, (actual) => {
      throw new IntegrityError(
        stored.key,
        isDelta ? 'the rebuilt file' : 'the file',
        described.sha256 ?? '',
        actual,
      );
    }),
  );
  if (checked.sha256 === '') throw new Error(`the writer for ${stored.key} did not read it whole`);
  return {
    key: userKey,
    storedKey: stored.key,
    storedAs: isDelta ? 'delta' : 'direct',
    sha256: checked.sha256,
    size: checked.size,
    expectedSha256: described.sha256,
  };
}

/** Passes bytes through, hashing them; at the end, a hash other than `expected` is refused. */
async function* verified(
  body: AsyncIterable<Uint8Array>,
  hash: IncrementalHash,
  expected: string | undefined,
  checked: { sha256: string; size: number },
  refuse: (actual: string) => never,
): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    size += chunk.byteLength;
    yield chunk;
  }
  const actual = hash.digestHex();
  if (expected && expected !== actual) refuse(actual);
  checked.sha256 = actual;
  checked.size = size;
}

async function rebuild(
  dependencies: DeltaDependencies,
  bucket: string,
  stored: StoredObject,
  request: { signal?: AbortSignal },
  reuseChunks: boolean | undefined,
): Promise<AsyncIterable<Uint8Array>> {
  const described = describeStoredFile(stored.metadata);
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
  return namingTheDelta(
    dependencies.codec.decode(reference.source, stored.body, { ...request, reuseChunks }),
    `s3://${bucket}/${stored.key}`,
  );
}

/** A codec failure while rebuilding says which delta is corrupt. */
async function* namingTheDelta(
  rebuilt: AsyncIterable<Uint8Array>,
  url: string,
): AsyncGenerator<Uint8Array> {
  try {
    yield* rebuilt;
  } catch (error) {
    if (!CodecError.isInstance(error)) throw error;
    throw new CodecError(`delta ${url} is corrupt (${error.message})`, { cause: error });
  }
}
