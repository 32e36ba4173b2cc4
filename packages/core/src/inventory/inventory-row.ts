import type { InventoryColumns } from './inventory-columns.js';

/** One object (or version, or delete marker) as an inventory lists it. */
export interface InventoryRow {
  readonly key: string;
  /** 0 for a delete marker, which has none. */
  readonly size: number;
  /** Unquoted; absent when the inventory has no ETag column. */
  readonly etag?: string | undefined;
  /** Absent in an inventory of current versions only: every row is current. */
  readonly isLatest?: boolean | undefined;
  readonly isDeleteMarker?: boolean | undefined;
  readonly storageClass?: string | undefined;
  readonly isMultipartUploaded?: boolean | undefined;
}

/**
 * One CSV record as a row. S3 Inventory URL-encodes keys in CSV the way HTML forms do (a space
 * is `+`, a plus `%2B`); a size, ETag or flag is empty where the row has none (delete markers).
 * Throws on a row that cannot be one (no key, a size that is not a count of bytes).
 */
export function csvRecordToRow(record: readonly string[], columns: InventoryColumns): InventoryRow {
  const { position } = columns;
  const field = (index: number | undefined) => (index === undefined ? undefined : record[index]);
  const encodedKey = field(position.key);
  if (encodedKey === undefined || encodedKey === '')
    throw new Error(`a row has ${record.length} fields and no key`);
  const key = decodeFormEncoded(encodedKey);
  const sizeText = field(position.size) ?? '';
  const size = sizeText === '' ? 0 : Number(sizeText);
  if (!Number.isSafeInteger(size) || size < 0 || !/^\d*$/.test(sizeText))
    throw new Error(`the size of ${JSON.stringify(key)} is ${JSON.stringify(sizeText)}`);
  const etag = field(position.etag);
  const storageClass = field(position.storageClass);
  return {
    key,
    size,
    etag: etag === undefined || etag === '' ? undefined : etag,
    isLatest: flag(field(position.isLatest)),
    isDeleteMarker: flag(field(position.isDeleteMarker)),
    storageClass: storageClass === '' ? undefined : storageClass,
    isMultipartUploaded: flag(field(position.isMultipartUploaded)),
  };
}

function flag(text: string | undefined): boolean | undefined {
  if (text === undefined || text === '') return undefined;
  return text.toLowerCase() === 'true';
}

/** `a+b%2Bc` -> `a b+c`. Keys without `%` or `+` (most) come back as they are. */
export function decodeFormEncoded(encoded: string): string {
  if (!encoded.includes('%') && !encoded.includes('+')) return encoded;
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new Error(`the key ${JSON.stringify(encoded)} is not URL-encoded`);
  }
}

/** The encoding AWS writes (for tests and benches that write inventories): form-encoded. */
export function encodeFormEncoded(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+');
}
