import type {
  BucketStats,
  BucketStatsResult,
  InventoryStats,
  MonthlyCost,
  UploadTotals,
  VersionTotals,
} from '@deltaglider/sdk';
import { formatAge, formatBytes, formatCount, formatDuration } from '@deltaglider/sdk';

/** Stats with their monthly cost, when prices were given (`--price`, `--price-preset`). */
export type PricedStats = BucketStatsResult & { readonly cost?: MonthlyCost };

export interface StatsPresentation {
  readonly stats: PricedStats;
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
  const sources = originalSourcesOf(stats);
  if (sources) lines.push(`  ${''.padEnd(10)}${''.padStart(11)}  ${sources}`);
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
  if (stats.unrecoverableDeltas > 0) {
    lines.push(
      '',
      `  ${formatCount(stats.unrecoverableDeltas)} unrecoverable delta(s), ${formatBytes(stats.unrecoverableDeltaBytes)}, not counted above: their directory has no reference.bin:`,
    );
    for (const space of stats.unrecoverableDeltaspaces) {
      const directory = space.deltaspace === '' ? '' : `${space.deltaspace}/`;
      lines.push(
        `    s3://${stats.bucket}/${directory}  ${formatCount(space.deltas)} delta(s), ${formatCount(space.bytes)} bytes`,
      );
    }
  }
  const health = stats.deltaspaceHealth;
  const graded = health.excellent + health.good + health.fair + health.poor + health.noReference;
  if (graded > 0) {
    lines.push(
      `  ${'Health'.padEnd(10)}${formatCount(graded).padStart(11)}  deltaspace(s): ${health.excellent} excellent, ${health.good} good, ${health.fair} fair, ${health.poor} poor, ${health.noReference} without reference`,
    );
  }
  const problems: string[] = [];
  if (stats.objectLimitReached) problems.push('listing stopped at --max-objects');
  if (stats.failedHeads > 0)
    problems.push(`${formatCount(stats.failedHeads)} HEAD request(s) failed`);
  if (stats.deltasWithoutMetadata > 0) {
    problems.push(`${formatCount(stats.deltasWithoutMetadata)} delta(s) carry no original size`);
  }
  if (problems.length > 0) lines.push('', `  Incomplete: ${problems.join('; ')}. Not cached.`);

  lines.push(...storageClassLines(stats), ...billingLines(stats), ...costLines(stats.cost));
  if (stats.deltaspaces) lines.push('', ...formatDeltaspaceTable(stats));
  lines.push('', `  ${'Source'.padEnd(10)} ${describeSource(stats, elapsedMs)}`);
  return `${lines.join('\n')}\n`;
}

function isFromInventory(stats: BucketStatsResult): stats is InventoryStats {
  return (stats as Partial<InventoryStats>).source === 'inventory';
}

/**
 * Every listed byte by storage class (orphans and unrecoverable deltas included), one line a
 * class, unless all of it is STANDARD.
 */
function storageClassLines(stats: BucketStats): string[] {
  const classes = stats.storageClasses ?? [];
  if (classes.every((total) => total.storageClass === 'STANDARD')) return [];
  const width = Math.max(...classes.map((total) => total.storageClass.length));
  return [
    '',
    '  Listed bytes by storage class:',
    ...classes.map(
      (total) =>
        `    ${total.storageClass.padEnd(width)}${formatBytes(total.bytes).padStart(11)}  in ${formatCount(total.objects)} object(s)`,
    ),
  ];
}

/** The monthly estimate, when prices were given. */
function costLines(cost: MonthlyCost | undefined): string[] {
  if (!cost) return [];
  const money = (amount: number) =>
    `${cost.currency === 'EUR' ? '€' : '$'}${amount.toFixed(amount < 10 ? 4 : 2)}`;
  const lines = [
    '',
    `  ${'Cost'.padEnd(10)}${money(cost.stored).padStart(11)}  a month stored, ${money(cost.withoutDeltas)} without deltas: ${money(cost.saved)} saved (${cost.prices} prices per GiB-month; storage only)`,
  ];
  if (cost.unpricedClasses.length > 0)
    lines.push(
      `  ${''.padEnd(21)}  priced as STANDARD (no price given): ${cost.unpricedClasses.join(', ')}`,
    );
  return lines;
}

/**
 * What the bill counts beyond the stats, once older versions were listed (`--versions`, or a
 * versioned inventory): the versions, and the billed total.
 */
function billingLines(stats: BucketStatsResult): string[] {
  const { versions, uploads } = stats.billing;
  if (!versions && !uploads) return [];
  const lines = [''];
  if (versions && !versions.listed) lines.push('  Versions: this store keeps no older versions');
  if (uploads && !uploads.listed) lines.push('  Uploads: this store has no multipart uploads');
  if (versions?.listed) lines.push(...versionLines(versions));
  if (uploads?.listed) lines.push(...uploadLines(stats, uploads));
  const parts = [
    'listed bytes',
    ...(versions?.listed ? ['older versions'] : []),
    ...(uploads?.listed ? ['unfinished uploads'] : []),
  ];
  if (parts.length > 1)
    lines.push(sizeLine('Billed', stats.billing.billedBytes, `  ${parts.join(' + ')}`));
  return lines;
}

function uploadLines(stats: BucketStatsResult, uploads: UploadTotals): string[] {
  const oldest = uploads.oldestInitiated
    ? `, the oldest begun ${formatAge(Math.max(0, (Date.now() - Date.parse(uploads.oldestInitiated)) / 1000))} (${uploads.oldestInitiated})`
    : '';
  const lines = [
    `  ${'Uploads'.padEnd(10)}${formatCount(uploads.uploads).padStart(11)}  unfinished multipart upload(s), ${formatBytes(uploads.bytes)} in ${formatCount(uploads.parts)} part(s)${oldest}: billed, not counted above`,
  ];
  if (uploads.uploads > 0)
    lines.push(
      `  ${''.padEnd(21)}  abort them: deltaglider rm --incomplete-uploads s3://${stats.bucket}/${stats.prefix}`,
    );
  return lines;
}

function versionLines(versions: VersionTotals): string[] {
  const lines = [
    `  ${'Versions'.padEnd(10)}${formatCount(versions.noncurrentVersions).padStart(11)}  older version(s), ${formatBytes(versions.noncurrentBytes)}, and ${formatCount(versions.deleteMarkers)} delete marker(s): billed, not counted above`,
  ];
  if (versions.noncurrentVersions > 0)
    lines.push(
      `  ${''.padEnd(21)}  deleting a file frees nothing until its older versions expire (a lifecycle rule for noncurrent versions)`,
    );
  return lines;
}

function describeSource(stats: BucketStatsResult, elapsedMs: number): string {
  if (isFromInventory(stats)) {
    const { inventory } = stats;
    return `S3 Inventory report of ${stats.asOf} (${formatAge(stats.cache.ageSeconds)}, not live), read in ${formatDuration(elapsedMs)}: ${formatCount(inventory.rows)} rows in ${formatCount(inventory.files)} ${inventory.format} file(s), ${inventory.manifest}`;
  }
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

/** `--by-deltaspace`: one row per deltaspace, most bytes saved first. */
function formatDeltaspaceTable(stats: BucketStatsResult): string[] {
  // With --versions: each deltaspace's older versions, billed beside what it stores.
  const versions = stats.billing.versions?.listed ? stats.billing.versions.deltaspaces : undefined;
  const olderBytes = new Map(versions?.map((space) => [space.deltaspace, space.noncurrentBytes]));
  const header = [
    'Deltaspace',
    'Deltas',
    'Reference',
    'Original',
    'Stored',
    'Saved',
    'Ratio',
    'Estimated',
    'Health',
    ...(versions ? ['Older versions'] : []),
  ];
  const rows = (stats.deltaspaces ?? []).map((space) => [
    `${space.deltaspace === '' ? '(root)' : space.deltaspace}${space.orphaned ? ' (orphaned)' : ''}`,
    space.unrecoverableDeltas > 0
      ? `${formatCount(space.unrecoverableDeltas)} lost`
      : formatCount(space.deltaObjects),
    formatBytes(space.referenceSize),
    formatBytes(space.originalSize),
    formatBytes(space.storedSize),
    formatBytes(space.spaceSaved),
    `${(space.compressionRatio * 100).toFixed(1)} %`,
    // Deltas whose original is estimated, not known (from listing facts, the cache or a HEAD).
    space.originalsFrom ? formatCount(space.originalsFrom.estimate) : '-',
    space.health === 'no_reference' ? 'NO REFERENCE' : (space.health ?? '-'),
    ...(versions ? [formatBytes(olderBytes.get(space.deltaspace) ?? 0)] : []),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}`;
  return [line(header), ...rows.map(line)];
}

/** Where the deltas' originals came from, when any was known: `from 8 listing facts, 3 HEADs`. */
function originalSourcesOf(stats: BucketStats): string | undefined {
  const from = stats.originalsFrom;
  if (!from) return undefined;
  const parts = [
    [from.facts, 'listing facts'],
    [from.cache, 'known originals'],
    [from.head, 'HEADs'],
  ] as const;
  const named = parts.filter(([count]) => count > 0);
  if (named.length === 0) return undefined;
  return `originals from ${named.map(([count, name]) => `${formatCount(count)} ${name}`).join(', ')}`;
}
