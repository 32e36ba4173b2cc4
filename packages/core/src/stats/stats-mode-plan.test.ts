import { describe, expect, it } from 'vitest';
import { DEFAULT_STATS_MODE, planFor } from './stats-mode-plan.js';
import { statsModes } from './stats-modes.js';

describe('the stats mode plan', () => {
  it('has a plan for every mode, and the default is one of them', () => {
    for (const mode of statsModes) expect(planFor(mode), mode).toBeDefined();
    expect(statsModes).toContain(DEFAULT_STATS_MODE);
  });

  it('is consistent: only a plan that HEADs every delta is exact, only sampling fits samples', () => {
    for (const mode of statsModes) {
      const plan = planFor(mode);
      expect(plan.exact, mode).toBe(plan.heads === 'every');
      expect(plan.estimate === 'fit-to-samples', mode).toBe(plan.heads === 'sample');
      expect(plan.samplesPerDeltaspace > 0, mode).toBe(plan.heads === 'sample');
      // A plan that reads originals by HEAD also keeps them for the next call.
      expect(plan.usesKnownOriginals, mode).toBe(plan.heads !== 'none');
    }
  });

  it('says what each mode asks of the bucket', () => {
    expect(planFor('quick')).toMatchObject({ exact: false, heads: 'none' });
    expect(planFor('sampled')).toMatchObject({
      exact: false,
      heads: 'sample',
      samplesPerDeltaspace: 2,
    });
    expect(planFor('detailed')).toMatchObject({ exact: true, heads: 'every' });
  });
});
