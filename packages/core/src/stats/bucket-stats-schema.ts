// zod/mini: the same schemas in a form a bundler trims to what they use (a CLI start-up loads
// about 25 KB of zod instead of 185 KB; BENCHMARKS.md, "Start-up").
import * as z from 'zod/mini';
import type { CamelCasedKeys } from './case-conversion.js';
import { deltaspaceHealthGrades } from './deltaspace-health.js';
import { statsModes } from './stats-modes.js';

const count = z.int().check(z.nonnegative());
const bytes = z.int().check(z.nonnegative());

/** Beyond this many deltaspaces the breakdown is not cached (the cache stays small). */
export const MAX_CACHED_DELTASPACES = 20_000;
export const statsModeSchema = z.enum(statsModes);

/** The original Python tool's fields, names and meaning unchanged. */
const seedStatsShape = {
  bucket: z.string(),
  object_count: count,
  total_size: bytes,
  compressed_size: bytes,
  space_saved: bytes,
  average_compression_ratio: z.number().check(z.gte(0), z.lte(1)),
  delta_objects: count,
  direct_objects: count,
};

export const orphanedReferenceSchema = z.object({
  key: z.string(),
  size: bytes,
});

export const unrecoverableDeltaspaceSchema = z.object({
  deltaspace: z.string(),
  deltas: count,
  bytes,
});

/**
 * Where the deltas' original sizes came from: listing-facts entries, the known-originals
 * companion, HEADs, or an estimate. Absent from caches written before it existed.
 */
export const originalsFromSchema = z.object({
  facts: count,
  cache: count,
  head: count,
  estimate: count,
});

/**
 * What one storage class holds of the objects the stats cover (deltas, references, direct
 * files, orphans and unrecoverable deltas alike: every byte the listing bills).
 */
export const storageClassTotalSchema = z.object({
  storage_class: z.string(),
  objects: count,
  bytes,
});

/** One deltaspace's share: its deltas against its reference. */
export const deltaspaceStatsSchema = z.object({
  deltaspace: z.string(),
  /** Deltas that can be rebuilt (the deltaspace has its reference). */
  delta_objects: count,
  /** Deltas whose reference is missing: they cannot be rebuilt and count in no total. */
  unrecoverable_deltas: count,
  /** The median listed delta size, which grades `health`. */
  median_delta_size: bytes,
  /** Null for an orphaned reference (no delta to grade). */
  health: z.nullable(z.enum(deltaspaceHealthGrades)),
  reference_size: bytes,
  original_size: bytes,
  stored_size: bytes,
  space_saved: bytes,
  compression_ratio: z.number().check(z.gte(0), z.lte(1)),
  orphaned: z.boolean(),
  originals_from: z.optional(originalsFromSchema),
});

/** What users need to trust the numbers, added to the seed's fields. */
const statsExtrasShape = {
  mode: statsModeSchema,
  /** `""` for the whole bucket, else the key prefix the stats cover. */
  prefix: z.string(),
  reference_objects: count,
  /** True when a `maxObjects` cap stopped the listing: the numbers cover only part. */
  object_limit_reached: z.boolean(),
  /** True when some delta's original size is estimated rather than read from metadata. */
  total_size_estimated: z.boolean(),
  /** Deltas whose original size was estimated. */
  estimated_deltas: count,
  originals_from: z.optional(originalsFromSchema),
  /** Deltas whose HEAD succeeded but carried no usable original size. */
  deltas_without_metadata: count,
  /** Deltas whose HEAD failed (or that vanished before it). */
  failed_heads: count,
  /** True when a HEAD failed or metadata was missing in detailed mode, or the listing was capped. */
  incomplete: z.boolean(),
  /** References whose deltaspace holds no delta: stored, but not counted in compressed_size. */
  orphaned_references: z.array(orphanedReferenceSchema),
  orphaned_reference_bytes: bytes,
  /**
   * Deltas in deltaspaces without a `reference.bin` (deleted by hand, a lifecycle rule, a
   * race): they cannot be rebuilt. Counted here only, never in object_count, total_size,
   * compressed_size or space_saved, so every mode agrees on them.
   */
  unrecoverable_deltas: count,
  unrecoverable_delta_bytes: bytes,
  unrecoverable_deltaspaces: z.array(unrecoverableDeltaspaceSchema),
  /** How many deltaspaces (with deltas) have each health grade. */
  deltaspace_health: z.object({
    excellent: count,
    good: count,
    fair: count,
    poor: count,
    no_reference: count,
  }),
  /**
   * Objects and bytes by storage class (the listing's; STANDARD where it names none), most
   * bytes first. Their bytes add up to every byte listed outside `.deltaglider/`.
   */
  storage_classes: z.array(storageClassTotalSchema),
  /** Per deltaspace, sorted by bytes saved; kept in the cache, returned when asked for. */
  deltaspaces: z.optional(
    z.array(deltaspaceStatsSchema).check(z.maxLength(MAX_CACHED_DELTASPACES)),
  ),
};

export const bucketStatsSchema = z.object({ ...seedStatsShape, ...statsExtrasShape });

/** Stats as a cache file may hold them: the seed's fields required, ours optional. */
export const cachedStatsSchema = z.object({
  ...seedStatsShape,
  ...z.partial(z.object(statsExtrasShape)).shape,
});

/** Stats on the wire (JSON output, cache files): snake_case. */
export type WireBucketStats = z.infer<typeof bucketStatsSchema>;
/** Stats in the TypeScript API: camelCase. */
export type BucketStats = CamelCasedKeys<WireBucketStats>;
export type OrphanedReference = z.infer<typeof orphanedReferenceSchema>;
export type DeltaspaceStats = CamelCasedKeys<z.infer<typeof deltaspaceStatsSchema>>;
export type UnrecoverableDeltaspace = z.infer<typeof unrecoverableDeltaspaceSchema>;
export type StorageClassTotal = CamelCasedKeys<z.infer<typeof storageClassTotalSchema>>;
