import type { StatsMode } from './stats-modes.js';

/**
 * What a stats mode asks of the bucket. Code reads these properties and never a mode's name,
 * so a new mode is one row in the table below (the compiler points to it) plus its name in
 * `statsModes`.
 */
export interface StatsModePlan {
  /**
   * Every delta's original is read (from listing facts, the known-originals companion or a
   * HEAD), so totals are exact: a delta without a readable original makes the result
   * incomplete, and cached originals are checked against their deltas.
   */
  readonly exact: boolean;
  /**
   * Which deltas are HEADed for their original size: `none`, a few per deltaspace (`sample`),
   * or `every` one that no cheaper source covers.
   */
  readonly heads: 'none' | 'sample' | 'every';
  /** Deltas HEADed per deltaspace when `heads` is `sample`. */
  readonly samplesPerDeltaspace: number;
  /**
   * How an original nobody read is sized: as large as its deltaspace's reference, or along a
   * line fitted through that deltaspace's samples (the listing then ranks deltas to sample).
   */
  readonly estimate: 'reference-size' | 'fit-to-samples';
  /** Originals remembered in the bucket (the companion object) spare look-ups. */
  readonly usesKnownOriginals: boolean;
}

export const DEFAULT_STATS_MODE: StatsMode = 'quick';

const plans: Record<StatsMode, StatsModePlan> = {
  quick: {
    exact: false,
    heads: 'none',
    samplesPerDeltaspace: 0,
    estimate: 'reference-size',
    usesKnownOriginals: false,
  },
  sampled: {
    exact: false,
    heads: 'sample',
    samplesPerDeltaspace: 2,
    estimate: 'fit-to-samples',
    usesKnownOriginals: true,
  },
  detailed: {
    exact: true,
    heads: 'every',
    samplesPerDeltaspace: 0,
    estimate: 'reference-size',
    usesKnownOriginals: true,
  },
};

export function planFor(mode: StatsMode): StatsModePlan {
  return plans[mode];
}
