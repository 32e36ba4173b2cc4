import { bucketStatsSchema, orphanedReferenceSchema } from '@deltaglider/core';
import { z } from 'zod';

/**
 * The document `deltaglider stats --json` prints, version 2: the Python tool's snake_case
 * fields, ours, the cache facts, and a command to remove each orphaned reference. Additive
 * fields keep the version; a renamed, removed or re-meant field bumps it. The JSON Schema in
 * this package (`@deltaglider/sdk/stats-json.schema.json`) is generated from it, open to fields
 * added later (no `additionalProperties: false`).
 */
export const statsJsonSchema = bucketStatsSchema.extend({
  schema_version: z.literal(2),
  orphaned_references: z.array(
    orphanedReferenceSchema.extend({
      remove_command: z.string().describe('A shell command that removes it'),
    }),
  ),
  cache: z.object({
    status: z.enum(['hit', 'miss', 'stale', 'refreshed', 'disabled']),
    key: z.string().describe('The cache object, under .deltaglider/'),
    computed_at: z.string().describe('When the numbers were computed (ISO 8601)'),
    age_seconds: z.number().nonnegative(),
    written: z.boolean().describe('Whether this call wrote the cache'),
    foreign: z
      .object({ key: z.string(), writer: z.string() })
      .optional()
      .describe("Another tool's cache at the shared key, left alone"),
    location: z.enum(['bucket', 'local']).optional(),
    trouble: z.enum(['unreadable', 'write-failed']).optional(),
  }),
});

export type StatsJsonDocument = z.infer<typeof statsJsonSchema>;

/** The JSON Schema (draft 2020-12) of `stats --json`, as shipped in the package. */
export function statsJsonSchemaDocument(): Record<string, unknown> {
  return {
    title: 'deltaglider stats --json, schema_version 2',
    ...z.toJSONSchema(statsJsonSchema, { io: 'input' }),
  };
}
