import type { BucketStatsResult } from '@deltaglider/sdk';

const metrics: [name: string, help: string, value: (stats: BucketStatsResult) => number][] = [
  ['deltaglider_objects', 'Objects users stored: deltas plus direct files.', (s) => s.objectCount],
  ['deltaglider_delta_objects', 'Objects stored as xdelta3 deltas.', (s) => s.deltaObjects],
  ['deltaglider_direct_objects', 'Objects stored as they are.', (s) => s.directObjects],
  ['deltaglider_original_bytes', 'Bytes the objects would take unpacked.', (s) => s.totalSize],
  ['deltaglider_stored_bytes', 'Bytes user data takes in the bucket.', (s) => s.compressedSize],
  ['deltaglider_saved_bytes', 'Original bytes minus stored bytes.', (s) => s.spaceSaved],
  [
    'deltaglider_compression_ratio',
    'Saved bytes over original bytes, 0 to 1.',
    (s) => s.averageCompressionRatio,
  ],
  [
    'deltaglider_orphaned_reference_bytes',
    'References no delta uses, not counted as stored.',
    (s) => s.orphanedReferenceBytes,
  ],
  [
    'deltaglider_stats_estimated',
    '1 when some original sizes are estimated.',
    (s) => (s.totalSizeEstimated ? 1 : 0),
  ],
  [
    'deltaglider_stats_incomplete',
    '1 when HEADs failed or the listing was capped.',
    (s) => (s.incomplete ? 1 : 0),
  ],
  [
    'deltaglider_stats_age_seconds',
    'Age of the numbers: 0 when just computed.',
    (s) => s.cache.ageSeconds,
  ],
];

/** Prometheus text exposition format, one gauge per number, labelled by bucket only. */
export function formatStatsPrometheus(stats: BucketStatsResult): string {
  const bucket = stats.bucket
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('\n', '\\n');
  return metrics
    .map(
      ([name, help, value]) =>
        `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}{bucket="${bucket}"} ${value(stats)}\n`,
    )
    .join('');
}
