import type { StatsMode } from '@deltaglider/sdk';

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
