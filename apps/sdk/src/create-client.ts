import {
  type BucketStatsResult,
  type Clock,
  type GetBucketStatsOptions,
  getBucketStats,
  type Logger,
  type ObjectStore,
} from '@deltaglider/core';
import packageJson from '../package.json' with { type: 'json' };
import { followSignal } from './request-signal.js';
import { resolveObjectStore, type StoreOptions } from './resolve-object-store.js';

export interface ClientOptions extends StoreOptions {
  /** Where warnings and phase timings go. Default: nowhere. */
  readonly logger?: Logger;
  /** Default HEAD concurrency for sampled and detailed stats. */
  readonly concurrency?: number;
  readonly clock?: Clock;
}

export interface DeltaGliderClient {
  readonly store: ObjectStore;
  /**
   * Savings stats of a bucket (or of a directory in it, with `prefix`), from the in-bucket
   * cache when it still matches the bucket's listing, else computed and cached.
   */
  getBucketStats(bucket: string, options?: GetBucketStatsOptions): Promise<BucketStatsResult>;
}

export const SDK_VERSION: string = packageJson.version;

export function createClient(options: ClientOptions = {}): DeltaGliderClient {
  const store = resolveObjectStore({
    ...options,
    // One socket per concurrent HEAD, plus room for the listing and cache requests.
    ...(options.concurrency === undefined || options.maxSockets !== undefined
      ? {}
      : { maxSockets: options.concurrency + 4 }),
  });
  const dependencies = {
    store,
    generator: `deltaglider-ts/${SDK_VERSION}`,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  };
  return {
    store,
    async getBucketStats(bucket, statsOptions = {}) {
      const followed = statsOptions.signal ? followSignal(statsOptions.signal) : undefined;
      try {
        return await getBucketStats(dependencies, bucket, {
          ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
          ...statsOptions,
          ...(followed ? { signal: followed.signal } : {}),
        });
      } finally {
        followed?.release();
      }
    },
  };
}
