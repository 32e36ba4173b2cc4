import type { DeltaGliderClient } from '@deltaglider/sdk';

/**
 * What the exporter needs of a client: stats (validated, maybe recomputed), a cache read as it
 * is, and the cache statistics; for inventory targets, also the latest report's name and its
 * stats; for whole buckets, their daily history. A `DeltaGliderClient` is one; so is the worker that runs refreshes off the thread that
 * answers scrapes.
 */
export type StatsSource = Pick<
  DeltaGliderClient,
  'getBucketStats' | 'cachedStats' | 'cacheStatistics'
> &
  Partial<Pick<DeltaGliderClient, 'getInventoryStats' | 'inventoryReport' | 'getStatsHistory'>>;
