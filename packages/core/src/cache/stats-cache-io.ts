import { ownStatsCacheKey } from '../layout/bucket-layout.js';
import type { Logger } from '../ports/logger.js';
import type { ObjectStore } from '../ports/object-store.js';
import { type BucketJsonRead, readBucketJson, writeBucketJson } from './bucket-json.js';
import { identifyCacheWriter } from './cache-writer.js';
import { MAX_STATS_CACHE_BYTES, type StatsCache, statsCacheSchema } from './stats-cache-schema.js';

/**
 * What reading the cache gave. `etag` is the object's version when one exists, so the write
 * that follows can replace exactly that version and no newer one; `size` is its stored size.
 */
export type CacheRead =
  | {
      readonly kind: 'found';
      readonly cache: StatsCache;
      readonly etag: string;
      readonly size: number;
    }
  /** Another tool's well-formed cache at this key: never ours to replace. */
  | {
      readonly kind: 'foreign';
      readonly writer: string;
      readonly etag: string;
      readonly size: number;
    }
  | Extract<BucketJsonRead, { kind: 'absent' | 'unreadable' }>;

export interface CacheIoContext {
  readonly store: ObjectStore;
  readonly bucket: string;
  readonly key: string;
  readonly logger: Logger;
  readonly signal?: AbortSignal | undefined;
  /** Added to the warning when a write is denied: what happens instead. */
  readonly deniedHint?: string | undefined;
}

/** Reads and parses a stats cache. Never throws for cache trouble: it is reported instead. */
export async function readStatsCache(context: CacheIoContext): Promise<CacheRead> {
  const read = await readBucketJson(context, MAX_STATS_CACHE_BYTES);
  if (read.kind !== 'document') return read;
  const { document, etag, size } = read;
  const writer = identifyCacheWriter(document);
  if (writer.kind === 'foreign') return { kind: 'foreign', writer: writer.writer, etag, size };
  const parsed = statsCacheSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'top level';
    return {
      kind: 'unreadable',
      etag,
      size,
      reason: `it does not have the cache's shape (${where}: ${issue?.message})`,
    };
  }
  return { kind: 'found', cache: parsed.data, etag, size };
}

/** Where our cache was read from, and whose cache (if anyone else's) sits at the shared key. */
export interface OwnCacheRead {
  readonly read: CacheRead;
  /** Where our cache lives: the shared key, or our sibling key beside a foreign cache. */
  readonly key: string;
  readonly foreign?: ForeignCache;
}

export interface ForeignCache {
  readonly key: string;
  readonly writer: string;
}

/**
 * Reads our cache: at the shared key, unless another tool's cache is there; then at our sibling
 * key beside it (`ownStatsCacheKey`), so neither tool overwrites the other's on every call.
 */
export async function readOwnStatsCache(context: CacheIoContext): Promise<OwnCacheRead> {
  const shared = await readStatsCache(context);
  if (shared.kind !== 'foreign') return { read: shared, key: context.key };
  const key = ownStatsCacheKey(context.key);
  const own = await readStatsCache({ ...context, key });
  return {
    read:
      own.kind === 'foreign'
        ? { kind: 'unreadable', reason: `it holds ${own.writer}'s cache`, etag: own.etag }
        : own,
    key,
    foreign: { key: context.key, writer: shared.writer },
  };
}

/** How a cache write went: `denied` (no permission) is remembered by callers, the rest is not. */
export type CacheWriteOutcome = 'written' | 'denied' | 'conflict' | 'failed';

/**
 * Writes a stats cache, replacing only the version that was read (or only creating one when
 * none was there) where the store enforces conditions. Never throws for cache trouble.
 */
export async function writeStatsCache(
  context: CacheIoContext,
  cache: StatsCache,
  previous: CacheRead | undefined,
): Promise<CacheWriteOutcome> {
  const condition =
    previous?.kind === 'absent'
      ? { absent: true as const }
      : previous?.etag
        ? { etag: previous.etag }
        : undefined;
  const write = await writeBucketJson(context, `${JSON.stringify(cache, null, 2)}\n`, condition);
  if (write.outcome === 'written') return 'written';
  const hint = write.outcome === 'denied' && context.deniedHint ? `; ${context.deniedHint}` : '';
  context.logger.warn(`stats cache ${context.key} not written: ${write.reason}${hint}`);
  return write.outcome;
}
