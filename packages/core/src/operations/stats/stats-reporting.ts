import type { Logger } from '../../ports/logger.js';
import type { BucketStats } from '../../stats/bucket-stats-schema.js';
import type { PhaseTimer } from '../../stats/phase-timer.js';
import type { GetBucketStatsOptions } from './stats-options.js';

/** The stats without their per-deltaspace breakdown, unless the caller asked for it. */
export function withBreakdownIfAsked(
  stats: BucketStats,
  options: GetBucketStatsOptions,
): BucketStats {
  return options.byDeltaspace ? stats : withoutBreakdown(stats);
}

export function withoutBreakdown(stats: BucketStats): BucketStats {
  const { deltaspaces: _breakdown, ...rest } = stats;
  return rest;
}

/** One warning per deltaspace whose deltas lost their reference: they are data loss in waiting. */
export function warnUnrecoverable(logger: Logger, bucket: string, stats: BucketStats): void {
  for (const space of stats.unrecoverableDeltaspaces) {
    const directory = space.deltaspace === '' ? '' : `${space.deltaspace}/`;
    logger.warn(
      `s3://${bucket}/${directory} has ${space.deltas} delta(s) (${space.bytes} bytes) but no reference.bin: they cannot be rebuilt and are not counted; restore ${directory}reference.bin from a backup, or remove them with deltaglider rm -r s3://${bucket}/${directory}`,
    );
  }
}

export function logPhases(logger: Logger, timer: PhaseTimer, outcome: string): void {
  logger.info(`stats ${outcome}: ${timer.describe()}`, timer.durations());
}
