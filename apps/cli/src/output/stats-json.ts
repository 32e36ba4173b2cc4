import { type BucketStatsResult, type MonthlyCost, snakeCaseKeys } from '@deltaglider/sdk';
import { removeCommandFor } from './format-stats.js';

/**
 * Version of the `--json` document. Additive fields keep it; a renamed, removed or re-meant
 * field bumps it (docs/stats.md lists what each version holds).
 */
export const STATS_JSON_SCHEMA_VERSION = 2;

/** `--json`: the seed's snake_case fields, our extras, and the cache facts. Stable. */
export function formatStatsJson(
  stats: BucketStatsResult & { readonly cost?: MonthlyCost },
): string {
  const wire = snakeCaseKeys(stats);
  return `${JSON.stringify(
    {
      schema_version: STATS_JSON_SCHEMA_VERSION,
      source: 'listing',
      ...wire,
      orphaned_references: wire.orphaned_references.map((orphan) => ({
        ...orphan,
        remove_command: removeCommandFor(stats.bucket, orphan.key),
      })),
    },
    null,
    2,
  )}\n`;
}
