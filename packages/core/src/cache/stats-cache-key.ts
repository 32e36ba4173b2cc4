import { sha256OfText } from '../hashing/pure-hashes.js';
import { INTERNAL_PREFIX } from '../layout/bucket-layout.js';
import type { StatsMode } from '../stats/bucket-stats-schema.js';

/**
 * Where a mode's cache lives: `.deltaglider/stats_{mode}.json` for the whole bucket, as the
 * Python tool names it; stats of a prefix get their own file, named by a hash of the prefix.
 */
export function statsCacheKey(mode: StatsMode, prefix = ''): string {
  const directory = normalizeStatsPrefix(prefix);
  if (directory === '') return `${INTERNAL_PREFIX}stats_${mode}.json`;
  const digest = sha256OfText(directory).slice(0, 16);
  return `${INTERNAL_PREFIX}stats_${mode}.prefix-${digest}.json`;
}

/**
 * A stats prefix names a directory: `releases`, `releases/` and `/releases/` all mean the keys
 * under `releases/`; `""` and `/` mean the whole bucket. Every stats and cache call goes through
 * this one function, so they all name the same cache.
 */
export function normalizeStatsPrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === '' || prefix === '/') return '';
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/**
 * Our cache's key when another tool's cache occupies the shared one:
 * `.deltaglider/stats_quick.json` -> `.deltaglider/stats_quick.deltaglider-ts.json`.
 */
export function ownStatsCacheKey(sharedKey: string): string {
  return sharedKey.replace(/\.json$/, '.deltaglider-ts.json');
}
