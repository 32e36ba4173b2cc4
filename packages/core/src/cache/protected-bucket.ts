import { messageOf } from '../errors/message-of.js';
import type { Logger } from '../ports/logger.js';
import type { BucketProtection, ObjectStore } from '../ports/object-store.js';
import type { WireBucketStats } from '../stats/bucket-stats-schema.js';

/**
 * How a stats cache write must behave on a bucket that keeps old versions: each rewrite of
 * `.deltaglider/stats_*.json` leaves a noncurrent version, billed, and under Object Lock
 * default retention kept (undeletable) for the retention period.
 *
 * - `write`: an ordinary bucket.
 * - `write-then-prune`: versioned: write only when the numbers changed, then delete the
 *   noncurrent versions of that cache object.
 * - `local-only`: Object Lock default retention: never write the bucket; keep stats locally.
 */
export type BucketCacheWrite = 'write' | 'write-then-prune' | 'local-only';

// Asked once per bucket and store for the life of the process (a --watch loop asks once).
const asked = new WeakMap<ObjectStore, Map<string, Promise<BucketProtection | undefined>>>();

export async function bucketCacheWrite(
  store: ObjectStore,
  bucket: string,
  request: { signal?: AbortSignal },
): Promise<BucketCacheWrite> {
  if (!store.bucketProtection) return 'write';
  let answers = asked.get(store);
  if (!answers) {
    answers = new Map();
    asked.set(store, answers);
  }
  let answer = answers.get(bucket);
  if (!answer) {
    // A store that cannot say is treated as unversioned: the cache write is what it always was.
    answer = store.bucketProtection(bucket, request).catch(() => undefined);
    answers.set(bucket, answer);
  }
  const protection = await answer;
  if (protection?.defaultRetention === true) return 'local-only';
  const versioned = protection?.versioning === 'enabled' || protection?.versioning === 'suspended';
  return versioned ? 'write-then-prune' : 'write';
}

/** The numbers a user is shown: a versioned bucket's cache is rewritten only when they change. */
export function sameHeadlineNumbers(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
): boolean {
  const fields = [
    'object_count',
    'total_size',
    'compressed_size',
    'space_saved',
    'delta_objects',
    'direct_objects',
    'estimated_deltas',
    'orphaned_reference_bytes',
    'unrecoverable_deltas',
    'unrecoverable_delta_bytes',
  ] as const satisfies readonly (keyof WireBucketStats)[];
  return fields.every((field) => a[field] === b[field]);
}

/** After a rewrite on a versioned bucket: the versions it left behind go (when allowed). */
export async function pruneCacheVersions(
  store: ObjectStore,
  bucket: string,
  key: string,
  logger: Logger,
  request: { signal?: AbortSignal },
): Promise<void> {
  try {
    const removed = (await store.deleteNoncurrentVersions?.(bucket, key, request)) ?? 0;
    if (removed > 0) logger.info(`removed ${removed} noncurrent version(s) of ${key}`);
  } catch (error) {
    logger.info(`noncurrent versions of ${key} kept: ${messageOf(error)}`);
  }
}
