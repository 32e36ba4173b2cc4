import type { BucketJsonPlace } from '../../cache/bucket-json.js';
import { isAbortError } from '../../errors/is-abort-error.js';
import { messageOf } from '../../errors/message-of.js';
import { systemClock } from '../../ports/clock.js';
import { silentLogger } from '../../ports/logger.js';
import type { BucketStatsResult, StatsDependencies } from '../stats/stats-options.js';
import { bucketHistoryPlace, localHistoryPlace } from './history-place.js';
import { readStatsHistory, recordHistoryPoint } from './record-history.js';
import { type HistoryPoint, type MonthlyAverage, monthlyAverage } from './stats-history.js';

/**
 * After a whole-bucket result was computed: today's point into the history kept where the
 * cache went (the bucket, or this machine for users who may not write it). Trouble
 * is a warning: history never breaks a stats call.
 */
export async function recordStatsHistory(
  dependencies: StatsDependencies,
  bucket: string,
  result: BucketStatsResult,
  options: { readonly signal?: AbortSignal | undefined },
): Promise<void> {
  const { cache } = result;
  // Computed (a cache served or not used computes nothing to record), whole and complete. A
  // cache write lost to a racing process still leaves this call's numbers for its day.
  const computed =
    cache.status === 'miss' || cache.status === 'stale' || cache.status === 'refreshed';
  if (result.prefix !== '' || !computed || result.incomplete) return;
  const logger = dependencies.logger ?? silentLogger;
  const point: HistoryPoint = {
    date: cache.computedAt.slice(0, 10),
    stored: result.compressedSize,
    original: result.totalSize,
    billed: result.billing.billedBytes,
    objects: result.objectCount,
  };
  const local = dependencies.localCache;
  const record = (place: BucketJsonPlace) =>
    recordHistoryPoint({ ...place, signal: options.signal }, point, {
      logger,
      generator: dependencies.generator,
    });
  try {
    // Where the cache went; a history write the bucket denies goes to this machine too.
    if (cache.location === 'local' && local) await record(localHistoryPlace(local, bucket));
    else if ((await record(bucketHistoryPlace(dependencies.store, bucket))) === 'denied' && local)
      await record(localHistoryPlace(local, bucket));
  } catch (error) {
    if (isAbortError(error)) throw error;
    logger.warn(`stats history of ${bucket} not recorded: ${messageOf(error)}`);
  }
}

/** The daily history of a bucket, and this month's average. */
export interface StatsHistoryResult {
  readonly bucket: string;
  /** Where it was read: the bucket's, or this machine's for users who may not write it. */
  readonly location: 'bucket' | 'local';
  readonly points: readonly HistoryPoint[];
  /** The current month's average of daily stored and billed bytes; undefined without points. */
  readonly monthlyAverage: MonthlyAverage | undefined;
}

/** Reads the bucket's history, or this machine's where the bucket holds none. */
export async function getStatsHistory(
  dependencies: StatsDependencies,
  bucket: string,
  options: { readonly signal?: AbortSignal | undefined } = {},
): Promise<StatsHistoryResult> {
  const logger = dependencies.logger ?? silentLogger;
  const today = (dependencies.clock ?? systemClock).now().toISOString().slice(0, 10);
  const places = [
    ['bucket', bucketHistoryPlace(dependencies.store, bucket)] as const,
    ...(dependencies.localCache
      ? [['local', localHistoryPlace(dependencies.localCache, bucket)] as const]
      : []),
  ];
  for (const [location, place] of places) {
    const read = await readStatsHistory({ ...place, signal: options.signal });
    if (read.kind === 'unreadable') {
      logger.warn(`stats history ${place.key} ${read.reason}`);
      continue;
    }
    if (read.history.points.length === 0) continue;
    const { points } = read.history;
    return {
      bucket,
      location,
      points,
      monthlyAverage: monthlyAverage(points, today.slice(0, 7), today),
    };
  }
  return { bucket, location: 'bucket', points: [], monthlyAverage: undefined };
}
