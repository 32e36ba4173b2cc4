import type { BucketStatsResult } from '@deltaglider/sdk';
import { formatAge, formatBytes, formatCount, formatDuration } from './format-bytes.js';

export interface StatsPresentation {
  readonly stats: BucketStatsResult;
  /** How long the call took, for "computed in 2.1 s". */
  readonly elapsedMs: number;
}

/** The shell command that deletes one object, shown next to each orphaned reference. */
export function removeCommandFor(bucket: string, key: string): string {
  return `aws s3 rm 's3://${bucket}/${key.replaceAll("'", "'\\''")}'`;
}

const sizeLine = (label: string, bytes: number, note = '') =>
  `  ${label.padEnd(10)}${formatBytes(bytes).padStart(11)}  (${formatCount(bytes)} bytes)${note}`;

/** The human report: what is stored, what it would take unpacked, and where the answer came from. */
export function formatStatsReport({ stats, elapsedMs }: StatsPresentation): string {
  const target = `s3://${stats.bucket}/${stats.prefix}`;
  const lines = [`${target}  (${stats.mode} stats)`];
  lines.push(
    `  ${'Objects'.padEnd(10)}${formatCount(stats.objectCount).padStart(11)}  (${formatCount(stats.deltaObjects)} delta, ${formatCount(stats.directObjects)} direct)`,
  );
  const estimated = stats.totalSizeEstimated
    ? `  estimated for ${formatCount(stats.estimatedDeltas)} of ${formatCount(stats.deltaObjects)} deltas`
    : '';
  lines.push(sizeLine('Original', stats.totalSize, estimated));
  lines.push(sizeLine('Stored', stats.compressedSize));
  lines.push(
    sizeLine('Saved', stats.spaceSaved, `  ${(stats.averageCompressionRatio * 100).toFixed(1)} %`),
  );

  if (stats.orphanedReferences.length > 0) {
    lines.push(
      '',
      `  ${stats.orphanedReferences.length} orphaned reference(s), ${formatBytes(stats.orphanedReferenceBytes)} not counted above (no delta uses them):`,
    );
    for (const orphan of stats.orphanedReferences) {
      lines.push(
        `    ${orphan.key}  ${formatCount(orphan.size)} bytes  remove: ${removeCommandFor(stats.bucket, orphan.key)}`,
      );
    }
  }
  const problems: string[] = [];
  if (stats.objectLimitReached) problems.push('listing stopped at --max-objects');
  if (stats.failedHeads > 0)
    problems.push(`${formatCount(stats.failedHeads)} HEAD request(s) failed`);
  if (stats.deltasWithoutMetadata > 0) {
    problems.push(`${formatCount(stats.deltasWithoutMetadata)} delta(s) carry no original size`);
  }
  if (problems.length > 0) lines.push('', `  Incomplete: ${problems.join('; ')}. Not cached.`);

  lines.push('', `  ${'Source'.padEnd(10)} ${describeSource(stats, elapsedMs)}`);
  return `${lines.join('\n')}\n`;
}

function describeSource(stats: BucketStatsResult, elapsedMs: number): string {
  const { cache } = stats;
  if (cache.status === 'hit')
    return `cache hit, computed ${formatAge(cache.ageSeconds)} (${cache.computedAt})`;
  const computed = `computed in ${formatDuration(elapsedMs)}`;
  if (cache.status === 'disabled') return `${computed}, cache not used (--no-cache)`;
  if (!cache.written) return `${computed}, not cached`;
  const why = { miss: 'cached', stale: 'cache was stale, rewritten', refreshed: 'cache refreshed' }[
    cache.status
  ];
  return `${computed}, ${why}`;
}
