import { createHash } from 'node:crypto';
import { IntegrityError } from '../errors/integrity-error.js';
import { readBody } from '../listing/read-body.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { DeltaCodec } from '../ports/delta-codec.js';
import type { Logger } from '../ports/logger.js';
import type { ObjectStore, RequestOptions } from '../ports/object-store.js';
import { describeStoredFile, type MetadataContext } from './deltaglider-metadata.js';
import type { ReferenceIntentTimings } from './reference-intents.js';

/** Keeps references by content hash, so each is fetched once. */
export interface ReferenceCache {
  get(sha256: string): Promise<Uint8Array | undefined>;
  put(sha256: string, bytes: Uint8Array): Promise<void>;
}

export interface DeltaDependencies {
  readonly store: ObjectStore;
  readonly codec: DeltaCodec;
  /** Written as `dg-tool`: `deltaglider/<version>`. */
  readonly tool: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly referenceCache?: ReferenceCache;
  /** How uploads and removals coordinate reference changes; the defaults suit real servers. */
  readonly referenceIntentTimings?: ReferenceIntentTimings;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function metadataContext(dependencies: DeltaDependencies): MetadataContext {
  return { tool: dependencies.tool, now: (dependencies.clock ?? systemClock).now() };
}

/** A reference's bytes and their hash. */
export interface FetchedReference {
  readonly bytes: Uint8Array;
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
  const cached = promised ? await referenceCache?.get(promised) : undefined;
  if (cached && sha256Hex(cached) === promised)
    return { bytes: cached, sha256: promised, etag: head.etag };

  const stored = await store.get(bucket, referenceKey, options);
  if (!stored) return undefined;
  const bytes = await readBody(stored.body);
  const actual = sha256Hex(bytes);
  const expected = describeStoredFile(stored.metadata).sha256;
  if (expected && expected !== actual)
    throw new IntegrityError(referenceKey, 'the reference', expected, actual);
  await referenceCache?.put(actual, bytes);
  return { bytes, sha256: actual, etag: stored.etag };
}
