import type { WireBucketStats } from '../stats/bucket-stats-schema.js';
import { gradeDeltaspace } from '../stats/deltaspace-health.js';
import { planFor } from '../stats/stats-mode-plan.js';

/** Bytes of VCDIFF framing a delta may carry beyond what it encodes. */
const DELTA_OVERHEAD_BYTES = 1024;

/**
 * Whether an original size can be true of deltas this large: a kept delta is never larger than
 * its file (both tools store a file whole when its delta exceeds `max-ratio` <= 1 of it), bar a
 * little VCDIFF framing per delta.
 */
export function isPlausibleOriginal(originalSize: number, deltaBytes: number, deltas = 1): boolean {
  return originalSize + DELTA_OVERHEAD_BYTES * deltas >= deltaBytes;
}

/**
 * Why a cache's numbers contradict each other or the listing its fingerprint vouches for, or
 * undefined when they agree. A fingerprint proves the listing did not change; it says nothing
 * about numbers edited by hand or by a buggy writer, so a cache must also add up before it is
 * served. Every headline number is tied to others: changing any one of them alone is caught.
 */
export function findInconsistency(
  stats: WireBucketStats,
  listed: { objectCount: number; listedBytes: number },
): string | undefined {
  const sum = <T>(items: readonly T[], value: (item: T) => number) =>
    items.reduce((total, item) => total + value(item), 0);
  const checks: [holds: boolean, what: string][] = [
    [
      stats.object_count === stats.delta_objects + stats.direct_objects,
      'object_count is not delta_objects + direct_objects',
    ],
    [
      stats.delta_objects +
        stats.direct_objects +
        stats.reference_objects +
        stats.unrecoverable_deltas ===
        listed.objectCount,
      'its object counts do not add up to the objects listed',
    ],
    [
      stats.compressed_size ===
        listed.listedBytes - stats.orphaned_reference_bytes - stats.unrecoverable_delta_bytes,
      'compressed_size is not the listed bytes less orphaned references and unrecoverable deltas',
    ],
    [
      stats.space_saved === Math.max(0, stats.total_size - stats.compressed_size),
      'space_saved is not total_size - compressed_size',
    ],
    [
      Math.abs(
        stats.average_compression_ratio -
          (stats.total_size === 0 ? 0 : stats.space_saved / stats.total_size),
      ) < 1e-9,
      'average_compression_ratio is not space_saved / total_size',
    ],
    [
      stats.orphaned_reference_bytes === sum(stats.orphaned_references, (orphan) => orphan.size),
      'orphaned_reference_bytes is not the sum of the orphaned references',
    ],
    [
      stats.unrecoverable_deltas ===
        sum(stats.unrecoverable_deltaspaces, (space) => space.deltas) &&
        stats.unrecoverable_delta_bytes ===
          sum(stats.unrecoverable_deltaspaces, (space) => space.bytes),
      'the unrecoverable totals are not the sums of their deltaspaces',
    ],
    [
      stats.estimated_deltas <= stats.delta_objects &&
        stats.total_size_estimated === stats.estimated_deltas > 0,
      'the estimated-delta fields contradict each other',
    ],
    [
      !stats.incomplete && stats.failed_heads === 0 && !stats.object_limit_reached,
      'it holds an incomplete result',
    ],
    [
      sum(stats.storage_classes, (total) => total.objects) === listed.objectCount &&
        sum(stats.storage_classes, (total) => total.bytes) === listed.listedBytes,
      'its storage classes do not add up to the objects listed',
    ],
  ];
  const failed = checks.find(([holds]) => !holds);
  if (failed) return failed[1];
  return stats.deltaspaces === undefined ? undefined : findBreakdownInconsistency(stats);
}

/** The per-deltaspace breakdown must add up to the totals, and each row to itself. */
function findBreakdownInconsistency(stats: WireBucketStats): string | undefined {
  const spaces = stats.deltaspaces ?? [];
  const storedInDeltaspaces = spaces.reduce((total, space) => total + space.stored_size, 0);
  const directBytes = stats.compressed_size - storedInDeltaspaces;
  const grades = { excellent: 0, good: 0, fair: 0, poor: 0, no_reference: 0 };
  for (const space of spaces) {
    if (space.health !== null) grades[space.health]++;
    const deltas = space.delta_objects + space.unrecoverable_deltas;
    const expectedHealth =
      deltas === 0
        ? null
        : gradeDeltaspace(
            space.median_delta_size,
            space.unrecoverable_deltas > 0 ? undefined : space.reference_size,
          );
    if (space.health !== expectedHealth)
      return `deltaspace ${JSON.stringify(space.deltaspace)} is graded against its own numbers`;
    if (space.space_saved !== Math.max(0, space.original_size - space.stored_size))
      return `deltaspace ${JSON.stringify(space.deltaspace)}: space_saved does not add up`;
    const deltaBytes = space.stored_size - (space.delta_objects > 0 ? space.reference_size : 0);
    if (deltaBytes < 0)
      return `deltaspace ${JSON.stringify(space.deltaspace)}: its reference is larger than what it stores`;
    // Only exact originals are bounded by their deltas: an estimate may not be.
    const exact = planFor(stats.mode).exact;
    if (exact && !isPlausibleOriginal(space.original_size, deltaBytes, space.delta_objects))
      return `deltaspace ${JSON.stringify(space.deltaspace)}: its originals are smaller than its deltas`;
  }
  const totals: [holds: boolean, what: string][] = [
    [directBytes >= 0, 'the deltaspaces store more than compressed_size'],
    [
      stats.total_size ===
        directBytes + spaces.reduce((total, space) => total + space.original_size, 0),
      "total_size is not the direct bytes plus the deltaspaces' originals",
    ],
    [
      stats.delta_objects === spaces.reduce((total, space) => total + space.delta_objects, 0),
      'delta_objects is not the sum over the deltaspaces',
    ],
    [
      stats.unrecoverable_deltas ===
        spaces.reduce((total, space) => total + space.unrecoverable_deltas, 0),
      'unrecoverable_deltas is not the sum over the deltaspaces',
    ],
    [
      Object.entries(grades).every(
        ([grade, count]) => stats.deltaspace_health[grade as keyof typeof grades] === count,
      ),
      "deltaspace_health does not count the deltaspaces' grades",
    ],
  ];
  return totals.find(([holds]) => !holds)?.[1];
}
