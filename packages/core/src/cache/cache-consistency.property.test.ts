import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketStatsAggregator } from '../stats/bucket-stats-aggregator.js';
import type { WireBucketStats } from '../stats/bucket-stats-schema.js';
import { snakeCaseKeys } from '../stats/case-conversion.js';
import { findInconsistency } from './cache-consistency.js';

// A cache whose fingerprint matches but whose numbers were edited (by hand, by a buggy writer)
// must never be served as it is: any single-field change is caught, or changes nothing a user
// is shown.

/** A bucket: deltaspaces with or without a reference, deltas (size, original), direct files. */
const bucket = fc.record({
  deltaspaces: fc.array(
    fc.record({
      reference: fc.option(fc.integer({ min: 1, max: 5_000_000 }), { nil: undefined }),
      deltas: fc.array(
        fc
          .tuple(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 0, max: 3_000_000 }))
          .map(([size, extra]) => ({ size, original: size + extra })),
        { maxLength: 6 },
      ),
    }),
    { minLength: 1, maxLength: 5 },
  ),
  directs: fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 4 }),
  mode: fc.constantFrom('quick', 'sampled', 'detailed' as const),
});

type GeneratedBucket = typeof bucket extends fc.Arbitrary<infer B> ? B : never;

function statsOf(generated: GeneratedBucket) {
  const aggregator = new BucketStatsAggregator();
  let etag = 0;
  const listed = (key: string, size: number) => ({
    key,
    size,
    etag: `"${etag++}"`,
    lastModified: new Date(0),
  });
  for (const [index, space] of generated.deltaspaces.entries()) {
    if (space.reference !== undefined)
      aggregator.add(listed(`ds${index}/reference.bin`, space.reference));
    for (const [number, delta] of space.deltas.entries()) {
      const added = aggregator.add(listed(`ds${index}/v${number}.zip.delta`, delta.size));
      if (generated.mode !== 'quick') aggregator.recordOriginal(added!, delta.original);
    }
  }
  for (const [index, size] of generated.directs.entries())
    aggregator.add(listed(`f${index}.txt`, size));
  const stats = snakeCaseKeys(
    aggregator.finish({ bucket: 'b', prefix: '', mode: generated.mode, objectLimitReached: false }),
  ) as WireBucketStats;
  return { stats, listing: aggregator.fingerprint.summary() };
}

/** Every numeric leaf of the stats, as a path. */
function numericPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'number') return [path];
  if (Array.isArray(value))
    return value.flatMap((item, index) => numericPaths(item, [...path, index]));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([key, item]) => numericPaths(item, [...path, key]));
  return [];
}

function withChange(
  stats: WireBucketStats,
  path: (string | number)[],
  change: (n: number) => number,
) {
  const copy = structuredClone(stats) as unknown as Record<string | number, unknown>;
  let target = copy;
  for (const step of path.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  target[last] = change(target[last] as number);
  return copy as unknown as WireBucketStats;
}

/** What a user is shown: the totals, the per-deltaspace table, the warnings' numbers. */
function shown(stats: WireBucketStats) {
  return {
    object_count: stats.object_count,
    total_size: stats.total_size,
    compressed_size: stats.compressed_size,
    space_saved: stats.space_saved,
    average_compression_ratio: stats.average_compression_ratio,
    delta_objects: stats.delta_objects,
    direct_objects: stats.direct_objects,
    orphaned_references: stats.orphaned_references,
    unrecoverable_deltaspaces: stats.unrecoverable_deltaspaces,
    deltaspace_health: stats.deltaspace_health,
    deltaspaces: stats.deltaspaces?.map((space) => ({
      deltaspace: space.deltaspace,
      delta_objects: space.delta_objects,
      unrecoverable_deltas: space.unrecoverable_deltas,
      original_size: space.original_size,
      stored_size: space.stored_size,
      space_saved: space.space_saved,
      health: space.health,
    })),
  };
}

describe('cache consistency', () => {
  it('finds nothing wrong with the stats a real listing gives', () => {
    fc.assert(
      fc.property(bucket, (generated) => {
        const { stats, listing } = statsOf(generated);
        expect(findInconsistency(stats, listing)).toBeUndefined();
      }),
    );
  });

  it('catches any single-field change, or the change alters nothing a user is shown', () => {
    const change = fc.oneof(
      fc.constant((n: number) => n * 10),
      fc.constant((n: number) => n + 1),
      fc.constant((n: number) => Math.max(0, n - 1)),
      fc.constant((n: number) => (n === 0 ? 7 : 0)),
      fc.constant((n: number) => n / 2),
    );
    fc.assert(
      fc.property(bucket, fc.nat(), change, (generated, pick, alter) => {
        const { stats, listing } = statsOf(generated);
        const paths = numericPaths(stats);
        const path = paths[pick % paths.length]!;
        const mutated = withChange(stats, path, alter);
        if (findInconsistency(mutated, listing) !== undefined) return;
        expect(shown(mutated), `changing ${path.join('.')} went unnoticed`).toEqual(shown(stats));
      }),
      { numRuns: 2_000 },
    );
  });
});
