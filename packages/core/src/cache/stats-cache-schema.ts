import * as z from 'zod/mini';
import { cachedStatsSchema } from '../stats/bucket-stats-schema.js';

/** The cache format this implementation writes and accepts, as the Python tool names it. */
export const STATS_CACHE_VERSION = '1.0';

/** Cache objects larger than this are not read: a stats cache is a few KiB. */
export const MAX_STATS_CACHE_BYTES = 4 * 1024 * 1024;

const count = z.int().check(z.nonnegative());
const timestamp = z
  .string()
  .check(z.refine((value) => !Number.isNaN(Date.parse(value)), 'not a timestamp'));

/**
 * `.deltaglider/stats_{mode}.json`. The seed's fields are required; `fingerprint`, `prefix`
 * and `generator` are ours. Unknown fields are dropped on parse, never copied.
 */
export const statsCacheSchema = z.object({
  version: z.string(),
  mode: z.string(),
  computed_at: timestamp,
  validation: z.object({
    /** Objects the listing showed, references included, `.deltaglider/` excluded. */
    object_count: count,
    /** Bytes of those objects, as listed. */
    compressed_size: count,
    /** Digest of every listed (key, size, ETag); see `ListingFingerprint`. */
    fingerprint: z.optional(z.string()),
    prefix: z.optional(z.string()),
    /** Keys splitting the listing into runs of one page, so the next call lists them in parallel. */
    boundaries: z.optional(z.array(z.string()).check(z.maxLength(1_000_000))),
  }),
  stats: cachedStatsSchema,
  generator: z.optional(z.string()),
});

export type StatsCache = z.infer<typeof statsCacheSchema>;
