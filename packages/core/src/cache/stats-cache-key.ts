import { createHash } from 'node:crypto';
import type { StatsMode } from '../stats/bucket-stats-schema.js';
import { INTERNAL_PREFIX } from '../stats/classify-key.js';

/**
 * Where a mode's cache lives: `.deltaglider/stats_{mode}.json` for the whole bucket, as the
 * Python tool names it; stats of a prefix get their own file, named by a hash of the prefix.
 */
export function statsCacheKey(mode: StatsMode, prefix = ''): string {
  if (prefix === '') return `${INTERNAL_PREFIX}stats_${mode}.json`;
  const digest = createHash('sha256').update(prefix).digest('hex').slice(0, 16);
  return `${INTERNAL_PREFIX}stats_${mode}.prefix-${digest}.json`;
}
