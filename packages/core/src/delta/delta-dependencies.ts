import { IntegrityError } from '../errors/integrity-error.js';
import type { HashFactory } from '../hashing/incremental-hash.js';
import { pureHashes } from '../hashing/pure-hashes.js';
import type { ListingFactsKeeper } from '../listing/listing-facts-keeper.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { DeltaCodec } from '../ports/delta-codec.js';
import type { Logger } from '../ports/logger.js';
import type { BodySource, ObjectStore, RequestOptions } from '../ports/object-store.js';
import { bytesSource } from '../store-support/put-body.js';
import { readBody } from '../store-support/read-body.js';
import type { ConditionalWrites } from './conditional-writes.js';
import { describeStoredFile, type MetadataContext } from './deltaglider-metadata.js';

/**
 * Keeps references by content hash, so each is fetched once, and holds the reference a delta is
 * made or applied against (xdelta3 reads it by offset; a 10 GB one cannot live in memory).
 */
export interface ReferenceCache {
  /** The reference with this SHA-256, when kept and intact (its bytes still hash to it). */
  get(sha256: string, options?: RequestOptions): Promise<BodySource | undefined>;
  /** Keeps a reference's bytes as they stream by, filed under the SHA-256 they hash to. */
  put(
    body: AsyncIterable<Uint8Array>,
    options?: RequestOptions,
  ): Promise<{ sha256: string; source: BodySource }>;
}

export interface DeltaDependencies {
  readonly store: ObjectStore;
  readonly codec: DeltaCodec;
  /** Written as `dg-tool`: `deltaglider/<version>`. */
  readonly tool: string;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  readonly referenceCache?: ReferenceCache | undefined;
  /**
   * What the server enforces of conditional writes, probed once and shared by every upload of
   * a client. Default: probed anew by each upload that creates a reference.
   */
  readonly conditionalWrites?: ConditionalWrites | undefined;
  /** Keeps deltaglider_proxy's listing facts of what uploads store; none: not kept. */
  readonly listingFacts?: ListingFactsKeeper | undefined;
  /** SHA-256 and MD5 of bodies. Default: core's pure hashes (the SDK passes Node's). */
  readonly hashes?: HashFactory | undefined;
}

export function hashesOf(dependencies: DeltaDependencies): HashFactory {
  return dependencies.hashes ?? pureHashes;
}

/**
 * A source's SHA-256 (the metadata names it) and MD5 (the ETag a plain PUT of it would get,
 * which listing facts carry), in one read.
 */
export async function hashesOfSource(
  source: BodySource,
  hashes: HashFactory,
): Promise<{ sha256: string; md5: string }> {
  const sha256 = hashes('sha256');
  const md5 = hashes('md5');
  for await (const chunk of source.read()) {
    sha256.update(chunk);
    md5.update(chunk);
  }
  return { sha256: sha256.digestHex(), md5: md5.digestHex() };
}

export function metadataContext(dependencies: DeltaDependencies): MetadataContext {
  return { tool: dependencies.tool, now: (dependencies.clock ?? systemClock).now() };
}

/** A reference's bytes and their hash. */
export interface FetchedReference {
  readonly source: BodySource;
  readonly sha256: string;
  /** Its ETag when it was read ('' when unknown), to recognise it when it lacks a SHA-256. */
  readonly etag: string;
}

/**
 * A deltaspace's reference, or undefined when it has none. Verified against its own
 * `dg-file-sha256`; served from the reference cache when that hash is there.
 */
export async function fetchReference(
  dependencies: DeltaDependencies,
  bucket: string,
  referenceKey: string,
  options: RequestOptions = {},
): Promise<FetchedReference | undefined> {
  const { store, referenceCache } = dependencies;
  const head = await store.head(bucket, referenceKey, options);
  if (!head) return undefined;
  const promised = describeStoredFile(head.metadata).sha256;
  const cached = promised ? await referenceCache?.get(promised, options) : undefined;
  if (cached && promised) return { source: cached, sha256: promised, etag: head.etag };

  const stored = await store.get(bucket, referenceKey, options);
  if (!stored) return undefined;
  const { sha256: actual, source } = referenceCache
    ? await referenceCache.put(stored.body, options)
    : await inMemory(stored.body, hashesOf(dependencies));
  const expected = describeStoredFile(stored.metadata).sha256;
  if (expected && expected !== actual)
    throw new IntegrityError(referenceKey, 'the reference', expected, actual);
  return { source, sha256: actual, etag: stored.etag };
}

/** Without a reference cache a reference is held in memory: bounded memory needs one. */
async function inMemory(body: AsyncIterable<Uint8Array>, hashes: HashFactory) {
  const bytes = await readBody(body);
  const sha256 = hashes('sha256');
  sha256.update(bytes);
  return { sha256: sha256.digestHex(), source: bytesSource(bytes) };
}
