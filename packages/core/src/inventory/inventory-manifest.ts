import * as z from 'zod/mini';
import { InventoryError } from '../errors/inventory-error.js';
import { type InventoryColumns, inventoryColumnsOf } from './inventory-columns.js';

// S3 Inventory's manifest.json, as AWS documents it (storage-inventory-location.md):
//
//   { "sourceBucket": "b", "destinationBucket": "arn:aws:s3:::d", "version": "2016-11-30",
//     "creationTimestamp": "1514944800000", "fileFormat": "CSV" | "ORC" | "Parquet",
//     "fileSchema": "Bucket, Key, ..." | "message s3.inventory { ... }" | "struct<...>",
//     "files": [ { "key": "...", "size": 123, "MD5checksum": "<hex>" } ] }

const manifestSchema = z.object({
  sourceBucket: z.string(),
  destinationBucket: z.optional(z.string()),
  version: z.optional(z.string()),
  creationTimestamp: z.union([z.string().check(z.regex(/^\d+$/)), z.int()]),
  fileFormat: z.string(),
  fileSchema: z.string(),
  files: z.array(
    z.object({
      key: z.string().check(z.minLength(1)),
      size: z.optional(z.int().check(z.nonnegative())),
      MD5checksum: z.string().check(z.regex(/^[0-9a-fA-F]{32}$/)),
    }),
  ),
});

export type InventoryFormat = 'CSV' | 'Parquet';

/** One data file the manifest lists: its key in the destination bucket, size and MD5. */
export interface InventoryDataFile {
  readonly key: string;
  readonly size: number | undefined;
  /** Lower-case hex. */
  readonly md5: string;
}

export interface InventoryManifest {
  readonly sourceBucket: string;
  /** When S3 began scanning the bucket for this inventory: what its rows describe. */
  readonly asOf: Date;
  readonly format: InventoryFormat;
  readonly columns: InventoryColumns;
  readonly files: readonly InventoryDataFile[];
}

/**
 * Reads a manifest.json (`where` names it in errors). ORC is refused: no pure-JavaScript
 * reader is good enough to stream it, and AWS writes the same inventory as CSV or Parquet.
 */
export function parseInventoryManifest(text: string, where: string): InventoryManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InventoryError(where, `not JSON (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') || 'the document';
    throw new InventoryError(where, `not an S3 Inventory manifest: ${path}: ${issue?.message}`);
  }
  const manifest = parsed.data;
  const format = formatOf(manifest.fileFormat, where);
  return {
    sourceBucket: manifest.sourceBucket,
    asOf: new Date(Number(manifest.creationTimestamp)),
    format,
    columns: inventoryColumnsOf(format, manifest.fileSchema, where),
    files: manifest.files.map((file) => ({
      key: file.key,
      size: file.size,
      md5: file.MD5checksum.toLowerCase(),
    })),
  };
}

function formatOf(fileFormat: string, where: string): InventoryFormat {
  const format = fileFormat.toUpperCase();
  if (format === 'CSV') return 'CSV';
  if (format === 'PARQUET') return 'Parquet';
  if (format === 'ORC')
    throw new InventoryError(
      where,
      "the inventory is in ORC format, which deltaglider does not read: set the inventory configuration's output format to CSV or Apache Parquet (the next report is written in it)",
    );
  throw new InventoryError(where, `unknown inventory format ${JSON.stringify(fileFormat)}`);
}
