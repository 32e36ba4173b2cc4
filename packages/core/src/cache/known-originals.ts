import * as z from 'zod/mini';
import { KNOWN_ORIGINALS_KEY } from '../layout/bucket-layout.js';
import { readBucketJson, writeBucketJson } from './bucket-json.js';
import type { CacheIoContext } from './stats-cache-io.js';

/**
 * The known-originals companion (`KNOWN_ORIGINALS_KEY`). After k objects change, sampled and
 * detailed stats HEAD only those k: an entry counts only while the delta's listed ETag still
 * equals the one it was learnt under.
 */
export const KNOWN_ORIGINALS_VERSION = 1;
const MAX_KNOWN_ORIGINALS_BYTES = 256 * 1024 * 1024;

// Entries are tuples, not an object keyed by S3 key, so no key (`__proto__` included) can
// reach an object's prototype when parsed.
export const knownOriginalsSchema = z.object({
  version: z.literal(KNOWN_ORIGINALS_VERSION),
  generator: z.optional(z.string()),
  entries: z.array(z.tuple([z.string(), z.string(), z.int().check(z.nonnegative())])),
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
  const read = await readBucketJson(
    { ...context, key: KNOWN_ORIGINALS_KEY },
    MAX_KNOWN_ORIGINALS_BYTES,
  );
  // When the object exists, keep its ETag, so the rewrite replaces exactly it.
  const empty = (etag?: string): KnownOriginals => ({
    entries: new Map(),
    etag,
    existed: etag !== undefined,
  });
  if (read.kind === 'absent') return empty();
  const parsed =
    read.kind === 'document' ? knownOriginalsSchema.safeParse(read.document) : undefined;
  if (read.kind === 'unreadable' || !parsed?.success) {
    const reason = read.kind === 'unreadable' ? read.reason : 'it does not have the expected shape';
    context.logger.warn(`${KNOWN_ORIGINALS_KEY} ignored: ${reason}`);
    return empty(read.etag);
  }
  const entries = new Map(parsed.data.entries.map(([key, etag, size]) => [key, { etag, size }]));
  return { entries, etag: read.etag, existed: true };
}

/** Rewrites the companion, replacing only the version that was read. Never throws. */
export async function writeKnownOriginals(
  context: Omit<CacheIoContext, 'key'>,
  entries: ReadonlyMap<string, KnownOriginal>,
  previous: KnownOriginals | undefined,
  generator: string | undefined,
): Promise<boolean> {
  const document = {
    version: KNOWN_ORIGINALS_VERSION,
    ...(generator ? { generator } : {}),
    entries: [...entries].map(([key, known]) => [key, known.etag, known.size]),
  };
  const condition =
    previous?.existed === false
      ? { absent: true as const }
      : previous?.etag
        ? { etag: previous.etag }
        : undefined;
  const write = await writeBucketJson(
    { ...context, key: KNOWN_ORIGINALS_KEY },
    JSON.stringify(document),
    condition,
  );
  if (write.outcome === 'written') return true;
  context.logger.warn(`${KNOWN_ORIGINALS_KEY} not written: ${write.reason}`);
  return false;
}
