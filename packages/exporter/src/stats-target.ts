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
}

export function targetKey(target: StatsTarget): string {
  return JSON.stringify([target.bucket, target.prefix, target.mode]);
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
  },
  defaultMode: StatsMode,
): StatsTarget {
  if (!isValidBucketName(given.bucket))
    throw new InvalidArgumentError(`invalid bucket name ${JSON.stringify(given.bucket)}`);
  const mode = given.mode ?? defaultMode;
  if (!(statsModes as readonly string[]).includes(mode))
    throw new InvalidArgumentError(`mode must be one of ${statsModes.join(', ')}`);
  return { bucket: given.bucket, prefix: normalizePrefix(given.prefix), mode: mode as StatsMode };
}
