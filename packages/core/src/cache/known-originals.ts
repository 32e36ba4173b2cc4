import { z } from 'zod';
import { isAbortError } from '../errors/is-abort-error.js';
import { messageOf } from '../errors/message-of.js';
import { PreconditionFailedError } from '../errors/precondition-failed-error.js';
import { INTERNAL_PREFIX } from '../layout/bucket-layout.js';
import type { PutOptions } from '../ports/object-store.js';
import { readBody } from '../store-support/read-body.js';
import type { CacheIoContext } from './stats-cache-io.js';

/**
 * `.deltaglider/originals.json`: every delta's original size learnt from a HEAD, keyed by key
 * and ETag. After k objects change, sampled and detailed stats HEAD only those k: an entry
 * counts only while the delta's listed ETag still equals the one it was learnt under.
 */
export const KNOWN_ORIGINALS_KEY = `${INTERNAL_PREFIX}originals.json`;
export const KNOWN_ORIGINALS_VERSION = 1;
const MAX_KNOWN_ORIGINALS_BYTES = 256 * 1024 * 1024;

// Entries are tuples, not an object keyed by S3 key, so no key (`__proto__` included) can
// reach an object's prototype when parsed.
export const knownOriginalsSchema = z.object({
  version: z.literal(KNOWN_ORIGINALS_VERSION),
  generator: z.string().optional(),
  entries: z.array(z.tuple([z.string(), z.string(), z.int().nonnegative()])),
});

export interface KnownOriginal {
  readonly etag: string;
  readonly size: number;
}

export interface KnownOriginals {
  readonly entries: Map<string, KnownOriginal>;
  /** The companion object's ETag when it exists, for a conditional rewrite. */
  readonly etag: string | undefined;
  readonly existed: boolean;
}

/** Reads the companion. Missing, damaged or unreadable: an empty map and one warning. */
export async function readKnownOriginals(
  context: Omit<CacheIoContext, 'key'>,
): Promise<KnownOriginals> {
  const { store, bucket, logger, signal } = context;
  const empty = (etag?: string): KnownOriginals => ({
    entries: new Map(),
    etag,
    existed: etag !== undefined,
  });
  let stored: Awaited<ReturnType<typeof store.get>>;
  try {
    stored = await store.get(bucket, KNOWN_ORIGINALS_KEY, signal ? { signal } : {});
  } catch (error) {
    if (isAbortError(error)) throw error;
    logger.warn(`${KNOWN_ORIGINALS_KEY} ignored: ${messageOf(error)}`);
    return empty();
  }
  if (!stored) return empty();
  // From here the object exists: keep its ETag, so the rewrite replaces exactly it.
  try {
    if (stored.size > MAX_KNOWN_ORIGINALS_BYTES) {
      await stored.body[Symbol.asyncIterator]().return?.();
      throw new Error(`${stored.size} bytes is over the limit`);
    }
    const text = new TextDecoder().decode(await readBody(stored.body, MAX_KNOWN_ORIGINALS_BYTES));
    const parsed = knownOriginalsSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error('it does not have the expected shape');
    const entries = new Map(parsed.data.entries.map(([key, etag, size]) => [key, { etag, size }]));
    return { entries, etag: stored.etag, existed: true };
  } catch (error) {
    if (isAbortError(error)) throw error;
    logger.warn(`${KNOWN_ORIGINALS_KEY} ignored: ${messageOf(error)}`);
    return empty(stored.etag);
  }
}

/** Rewrites the companion, replacing only the version that was read. Never throws. */
export async function writeKnownOriginals(
  context: Omit<CacheIoContext, 'key'>,
  entries: ReadonlyMap<string, KnownOriginal>,
  previous: KnownOriginals | undefined,
  generator: string | undefined,
): Promise<boolean> {
  const { store, bucket, logger, signal } = context;
  const document = {
    version: KNOWN_ORIGINALS_VERSION,
    ...(generator ? { generator } : {}),
    entries: [...entries].map(([key, known]) => [key, known.etag, known.size]),
  };
  const options: PutOptions = {
    contentType: 'application/json',
    ...(signal ? { signal } : {}),
    ...(previous?.existed === false ? { onlyIfAbsent: true } : {}),
    ...(previous?.etag ? { ifMatch: previous.etag } : {}),
  };
  try {
    await store.put(
      bucket,
      KNOWN_ORIGINALS_KEY,
      new TextEncoder().encode(JSON.stringify(document)),
      options,
    );
    return true;
  } catch (error) {
    if (isAbortError(error)) throw error;
    const reason = PreconditionFailedError.isInstance(error)
      ? 'another process updated it first; kept theirs'
      : error instanceof Error
        ? error.message
        : String(error);
    logger.warn(`${KNOWN_ORIGINALS_KEY} not written: ${reason}`);
    return false;
  }
}
