import {
  InvalidArgumentError,
  isValidBucketName,
  normalizePrefix,
  type StatsMode,
  statsModes,
} from '@deltaglider/sdk';

/** What an exporter watches: a bucket, or a directory in it, in one stats mode. */
export interface StatsTarget {
  readonly bucket: string;
  /** `''` for the whole bucket, else a prefix ending in `/`. */
  readonly prefix: string;
  readonly mode: StatsMode;
  /**
   * Read from this S3 Inventory (`s3://DEST/PREFIX/`, `file://DIR`) instead of listing: read
   * again when a newer report appears. Its stats are quick stats, as of the report.
   */
  readonly inventory?: string | undefined;
}

export function targetKey(target: StatsTarget): string {
  return JSON.stringify([target.bucket, target.prefix, target.mode, target.inventory ?? null]);
}

/**
 * A target as configured or probed, checked (a valid bucket name, a known mode) and with its
 * prefix normalised, so `app`, `app/` and `/app/` are one target.
 */
export function resolveTarget(
  given: {
    readonly bucket: string;
    readonly prefix?: string | undefined;
    readonly mode?: string | undefined;
    readonly inventory?: string | undefined;
  },
  defaultMode: StatsMode,
): StatsTarget {
  if (!isValidBucketName(given.bucket))
    throw new InvalidArgumentError(`invalid bucket name ${JSON.stringify(given.bucket)}`);
  // An inventory is read in quick mode only (its stats make no HEAD).
  const mode = given.mode ?? (given.inventory === undefined ? defaultMode : 'quick');
  if (!(statsModes as readonly string[]).includes(mode))
    throw new InvalidArgumentError(`mode must be one of ${statsModes.join(', ')}`);
  if (given.inventory !== undefined && mode !== 'quick')
    throw new InvalidArgumentError('an inventory target has quick stats only: give no mode');
  return {
    bucket: given.bucket,
    prefix: normalizePrefix(given.prefix),
    mode: mode as StatsMode,
    ...(given.inventory === undefined ? {} : { inventory: given.inventory }),
  };
}
