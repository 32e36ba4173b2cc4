import type { StatsMode } from '../../stats/bucket-stats-schema.js';

/**
 * What a stats mode asks of the bucket, so the run reads a plan instead of branching on the
 * mode's name: which deltas get a HEAD for their original size, and what that implies.
 */
export interface ModePlan {
  /** `none`: LIST only (quick). `sample`: a few per deltaspace. `every`: one per delta. */
  readonly heads: 'none' | 'sample' | 'every';
  /** The aggregator estimates each deltaspace from its samples. */
  readonly sampling: boolean;
  /** Original sizes already known (the companion object) spare HEADs. */
  readonly usesKnownOriginals: boolean;
}

export const SAMPLES_PER_DELTASPACE = 2;

const plans: Record<StatsMode, ModePlan> = {
  quick: { heads: 'none', sampling: false, usesKnownOriginals: false },
  sampled: { heads: 'sample', sampling: true, usesKnownOriginals: true },
  detailed: { heads: 'every', sampling: false, usesKnownOriginals: true },
};

export function planFor(mode: StatsMode): ModePlan {
  return plans[mode];
}
