import { AccessDeniedError } from '../errors/access-denied-error.js';
import { isAbortError } from '../errors/is-abort-error.js';
import { messageOf } from '../errors/message-of.js';
import { PreconditionFailedError } from '../errors/precondition-failed-error.js';
import type { Logger } from '../ports/logger.js';
import type { ObjectStore, PutOptions } from '../ports/object-store.js';
import { BodyTooLargeError, readBody } from '../store-support/read-body.js';
import { identifyCacheWriter } from './cache-writer.js';
import { ownStatsCacheKey } from './stats-cache-key.js';
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
  | { readonly kind: 'absent' }
  /** Another tool's well-formed cache at this key: never ours to replace. */
  | {
      readonly kind: 'foreign';
      readonly writer: string;
      readonly etag: string;
      readonly size: number;
    }
  | {
      readonly kind: 'unreadable';
      readonly reason: string;
      readonly etag?: string;
      readonly size?: number;
    };

export interface CacheIoContext {
  readonly store: ObjectStore;
  readonly bucket: string;
  readonly key: string;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Added to the warning when a write is denied: what happens instead. */
  readonly deniedHint?: string;
}

/** Reads and parses a stats cache. Never throws for cache trouble: it is reported instead. */
export async function readStatsCache(context: CacheIoContext): Promise<CacheRead> {
  const { store, bucket, key, signal } = context;
  let stored: Awaited<ReturnType<ObjectStore['get']>>;
  try {
    stored = await store.get(bucket, key, signal ? { signal } : {});
  } catch (error) {
    if (isAbortError(error)) throw error;
    return { kind: 'unreadable', reason: `could not read it: ${messageOf(error)}` };
  }
  if (!stored) return { kind: 'absent' };
  const { etag, size } = stored;
  try {
    if (size > MAX_STATS_CACHE_BYTES) {
      await stored.body[Symbol.asyncIterator]().return?.();
      return {
        kind: 'unreadable',
        etag,
        size,
        reason: `it is ${size} bytes, over the ${MAX_STATS_CACHE_BYTES}-byte limit`,
      };
    }
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      await readBody(stored.body, MAX_STATS_CACHE_BYTES),
    );
    const document: unknown = JSON.parse(text);
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
  } catch (error) {
    if (isAbortError(error)) throw error;
    if (BodyTooLargeError.isInstance(error)) {
      return {
        kind: 'unreadable',
        etag,
        size,
        reason: `it is over the ${MAX_STATS_CACHE_BYTES}-byte limit`,
      };
    }
    return { kind: 'unreadable', etag, size, reason: `it is not valid JSON: ${messageOf(error)}` };
  }
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
  const { store, bucket, key, logger, signal } = context;
  const body = new TextEncoder().encode(`${JSON.stringify(cache, null, 2)}\n`);
  const options: PutOptions = {
    contentType: 'application/json',
    ...(signal ? { signal } : {}),
    ...(previous?.kind === 'absent' ? { onlyIfAbsent: true } : {}),
    ...(previous && previous.kind !== 'absent' && previous.etag ? { ifMatch: previous.etag } : {}),
  };
  try {
    await store.put(bucket, key, body, options);
    return 'written';
  } catch (error) {
    if (isAbortError(error)) throw error;
    if (PreconditionFailedError.isInstance(error)) {
      logger.warn(`stats cache ${key} not written: another process updated it first; kept theirs`);
      return 'conflict';
    }
    const denied = AccessDeniedError.isInstance(error);
    const hint = denied && context.deniedHint ? `; ${context.deniedHint}` : '';
    logger.warn(`stats cache ${key} not written: ${messageOf(error)}${hint}`);
    return denied ? 'denied' : 'failed';
  }
}
