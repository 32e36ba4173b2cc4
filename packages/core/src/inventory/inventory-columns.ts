import { InventoryError } from '../errors/inventory-error.js';
import type { InventoryFormat } from './inventory-manifest.js';

/** The fields stats read, where an inventory has them. */
export const inventoryFields = [
  'key',
  'size',
  'etag',
  'isLatest',
  'isDeleteMarker',
  'storageClass',
  'isMultipartUploaded',
] as const;
export type InventoryField = (typeof inventoryFields)[number];

/**
 * Where each field is in a data file: its position in a CSV row and its column name in a
 * Parquet file. Absent fields were not configured for this inventory.
 */
export interface InventoryColumns {
  /** Every column, in file order, as the manifest names it. */
  readonly names: readonly string[];
  readonly position: Readonly<Partial<Record<InventoryField, number>>>;
}

/**
 * The manifest's `fileSchema`: `Bucket, Key, Size, ...` for CSV, a Parquet message type
 * (`message s3.inventory { required binary key (UTF8); optional int64 size; ... }`) for
 * Parquet, whose names are the CSV's in snake case. `Key` and `Size` are required.
 */
export function inventoryColumnsOf(
  format: InventoryFormat,
  fileSchema: string,
  where: string,
): InventoryColumns {
  const names =
    format === 'CSV'
      ? fileSchema.split(',').map((name) => name.trim())
      : [...fileSchema.matchAll(/(?:required|optional|repeated)\s+\w+\s+(\w+)/g)].map(
          (match) => match[1]!,
        );
  const byCanonicalName = new Map(names.map((name, index) => [canonical(name), index]));
  const position: Partial<Record<InventoryField, number>> = {};
  for (const field of inventoryFields) {
    const index = byCanonicalName.get(canonical(field));
    if (index !== undefined) position[field] = index;
  }
  const missing = (['key', 'size'] as const).filter((field) => position[field] === undefined);
  if (missing.length > 0)
    throw new InventoryError(
      where,
      `its fileSchema has no ${missing.map((field) => (field === 'key' ? 'Key' : 'Size')).join(' or ')} column: add ${missing.length === 2 ? 'them' : 'it'} to the inventory configuration (Size is the "Size" optional field)`,
    );
  return { names, position };
}

/** `IsDeleteMarker`, `is_delete_marker` and `isDeleteMarker` are one name. */
function canonical(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}
