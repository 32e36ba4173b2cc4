import { createHash } from 'node:crypto';
import { BucketNotFoundError, type LocalStatsCache, type ObjectStore } from '@deltaglider/core';
import { createFsObjectStore } from '@deltaglider/fs-adapter';

const BUCKET = 'stats';

/**
 * Stats caches on this machine, in `<cacheDirectory>/stats/` (a file store), namespaced by a
 * hash of the endpoint and the bucket name: the fallback for buckets the user may not write,
 * and the home of `cacheLocation: 'local'`.
 */
export function createLocalStatsCache(
  cacheDirectory: string,
  endpoint: string | undefined,
): LocalStatsCache {
  const fs = createFsObjectStore({ root: cacheDirectory, adoptDirectories: true });
  let created: Promise<void> | undefined;
  // The bucket directory is made on the first write, so reading an empty cache writes nothing.
  const store: ObjectStore = {
    ...fs,
    async put(bucket, key, body, options) {
      created ??= fs.createBucket(BUCKET);
      await created;
      return fs.put(bucket, key, body, options);
    },
    async get(bucket, key, options) {
      return fs.get(bucket, key, options).catch((error: unknown) => {
        if (BucketNotFoundError.isInstance(error)) return null;
        throw error;
      });
    },
  };
  const where = endpoint ?? 'aws';
  return {
    store,
    bucket: BUCKET,
    namespaceOf: (bucket) =>
      `${createHash('sha256').update(`${where}\n${bucket}`).digest('hex').slice(0, 24)}-${bucket}`,
    deniedBuckets: new Set(),
  };
}
