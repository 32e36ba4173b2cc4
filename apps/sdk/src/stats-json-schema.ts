import { bucketStatsSchema, orphanedReferenceSchema } from '@deltaglider/core';
import * as z from 'zod/mini';

/**
 * The document `deltaglider stats --json` prints, version 2: the Python tool's snake_case
 * fields, ours, the cache facts, and a command to remove each orphaned reference. Additive
 * fields keep the version; a renamed, removed or re-meant field bumps it. The JSON Schema in
 * this package (`@deltaglider/sdk/stats-json.schema.json`) is generated from it, open to fields
 * added later (no `additionalProperties: false`).
 */
const count = z.int().check(z.nonnegative());

export const statsJsonSchema = z.extend(bucketStatsSchema, {
  schema_version: z.literal(2),
  orphaned_references: z.array(
    z.extend(orphanedReferenceSchema, {
      remove_command: z.string().check(z.describe('A shell command that removes it')),
    }),
  ),
  source: z
    .optional(z.enum(['listing', 'inventory']))
    .check(z.describe('Where the objects were read: a live listing, or an S3 Inventory report')),
  as_of: z
    .optional(z.string())
    .check(z.describe('With source inventory: when S3 began the scan the report describes')),
  inventory: z.optional(
    z.object({
      manifest: z.string().check(z.describe('The manifest.json read')),
      report: z.string().check(z.describe("Its report folder's name, 2026-12-01T01-00Z")),
      format: z.enum(['CSV', 'Parquet']),
      files: count,
      rows: count,
      noncurrent_versions: z
        .object({ objects: count, bytes: count })
        .check(z.describe('Older versions: billed, not counted in the stats')),
      delete_markers: count,
      storage_classes: z.array(
        z.object({ storage_class: z.string(), objects: count, bytes: count }),
      ),
      multipart_objects: z.optional(count),
      facts_objects: count.check(z.describe("deltaglider_proxy's listing-facts objects")),
    }),
  ),
  billing: z
    .object({
      billed_bytes: count.check(z.describe('listed_bytes plus every part below that was listed')),
      listed_bytes: count.check(
        z.describe('Current objects, as listed (the sum of storage_classes)'),
      ),
      versions: z
        .nullable(
          z.object({
            listed: z
              .boolean()
              .check(z.describe('False where the store keeps no versions: counts are 0')),
            noncurrent_versions: count,
            noncurrent_bytes: count,
            delete_markers: count,
            deltaspaces: z.optional(
              z.array(
                z.object({
                  deltaspace: z.string(),
                  noncurrent_versions: count,
                  noncurrent_bytes: count,
                  delete_markers: count,
                }),
              ),
            ),
          }),
        )
        .check(z.describe('Older versions and delete markers; null unless listed (--versions)')),
      uploads: z
        .nullable(
          z.object({
            listed: z
              .boolean()
              .check(z.describe('False where the store has no multipart uploads: counts are 0')),
            uploads: count,
            parts: count,
            bytes: count,
            oldest_initiated: z.nullable(z.string()),
          }),
        )
        .check(z.describe('Unfinished multipart uploads; null unless listed (--uploads)')),
    })
    .check(z.describe('The bytes the bill counts, beside the stats')),
  cost: z.optional(
    z
      .object({
        prices: z.string().check(z.describe('The preset, or custom (--price)')),
        currency: z.enum(['USD', 'EUR']),
        stored: z.number().check(z.describe('A month of every billed byte at its price')),
        without_deltas: z
          .number()
          .check(z.describe("The same with the deltas' originals stored whole")),
        saved: z.number(),
        unpriced_classes: z
          .array(z.string())
          .check(z.describe("Classes without a price: charged at STANDARD's")),
        deltaspaces: z.optional(
          z.array(
            z.object({ deltaspace: z.string(), stored: z.number(), without_deltas: z.number() }),
          ),
        ),
      })
      .check(z.describe('With --price or --price-preset: a monthly storage estimate')),
  ),
  cache: z.object({
    status: z.enum(['hit', 'miss', 'stale', 'refreshed', 'disabled']),
    key: z.string().check(z.describe('The cache object, under .deltaglider/')),
    computed_at: z.string().check(z.describe('When the numbers were computed (ISO 8601)')),
    age_seconds: z.number().check(z.nonnegative()),
    written: z.boolean().check(z.describe('Whether this call wrote the cache')),
    foreign: z
      .optional(z.object({ key: z.string(), writer: z.string() }))
      .check(z.describe("Another tool's cache at the shared key, left alone")),
    location: z.optional(z.enum(['bucket', 'local'])),
    trouble: z.optional(z.enum(['unreadable', 'write-failed'])),
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
