import { type BucketStatsResult, snakeCaseKeys } from '@deltaglider/sdk';
import { removeCommandFor } from './format-stats.js';

/** `--json`: the seed's snake_case fields, our extras, and the cache facts. Stable. */
export function formatStatsJson(stats: BucketStatsResult): string {
  const wire = snakeCaseKeys(stats);
  return `${JSON.stringify(
    {
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
