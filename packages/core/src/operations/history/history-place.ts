import type { BucketJsonPlace } from '../../cache/bucket-json.js';
import type { LocalStatsCache } from '../../cache/local-stats-cache.js';
import type { ObjectStore } from '../../ports/object-store.js';
import { HISTORY_KEY } from './stats-history.js';

/** The history kept in the bucket. */
export function bucketHistoryPlace(store: ObjectStore, bucket: string): BucketJsonPlace {
  return { store, bucket, key: HISTORY_KEY };
}

/** The history kept on this machine, beside the local stats caches of that bucket. */
export function localHistoryPlace(local: LocalStatsCache, bucket: string): BucketJsonPlace {
  return {
    store: local.store,
    bucket: local.bucket,
    key: `${local.namespaceOf(bucket)}/${HISTORY_KEY}`,
  };
}
