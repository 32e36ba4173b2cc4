import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ObjectStore } from '@deltaglider/core';
import { encodeFormEncoded } from '@deltaglider/core/adapter-kit';
import { parquetWriteBuffer } from 'hyparquet-writer';

// S3 Inventory reports written as AWS writes them (storage-inventory-location.md): data files
// under `<config>/data/`, and `<config>/<YYYY-MM-DDTHH-MMZ>/manifest.json` with its
// `manifest.checksum`. CSV is gzipped with every field quoted and keys form-URL-encoded;
// Parquet uses the snake-case columns of AWS's Parquet schema.

export interface InventoryEntry {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  /** Versioned inventories only. */
  readonly versionId?: string;
  readonly isLatest?: boolean;
  readonly isDeleteMarker?: boolean;
  readonly storageClass?: string;
  readonly isMultipartUploaded?: boolean;
}

export interface InventoryReportOptions {
  readonly sourceBucket: string;
  /** The folder of this configuration in the destination: `dest-prefix/source-bucket/config-ID/`. */
  readonly configPrefix: string;
  readonly format: 'CSV' | 'Parquet';
  /** When the scan began: names the report folder. */
  readonly createdAt: Date;
  /** Adds VersionId, IsLatest and IsDeleteMarker, as an all-versions inventory has. */
  readonly versioned?: boolean;
  /** Rows per data file (AWS splits large inventories into many). */
  readonly rowsPerFile?: number;
  /** Rows per Parquet row group. */
  readonly rowGroupRows?: number;
}

/** Where a report is written: a local directory or a bucket. */
export type InventorySink = (key: string, bytes: Uint8Array) => Promise<void>;

export function directorySink(directory: string): InventorySink {
  return async (key, bytes) => {
    const path = join(directory, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
  };
}

export function storeSink(store: ObjectStore, bucket: string): InventorySink {
  return async (key, bytes) => {
    await store.put(bucket, key, bytes);
  };
}

const columns = [
  ['Bucket', 'bucket'],
  ['Key', 'key'],
  ['VersionId', 'version_id'],
  ['IsLatest', 'is_latest'],
  ['IsDeleteMarker', 'is_delete_marker'],
  ['Size', 'size'],
  ['LastModifiedDate', 'last_modified_date'],
  ['ETag', 'e_tag'],
  ['StorageClass', 'storage_class'],
  ['IsMultipartUploaded', 'is_multipart_uploaded'],
] as const;
const versionColumns = new Set(['VersionId', 'IsLatest', 'IsDeleteMarker']);

/** The report folder's name for a time: `2026-12-01T01-00Z`. */
export function reportFolderOf(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace(':', '-')}Z`;
}

/**
 * Writes one report of `entries` and returns the manifest's key. Entries stream: only one data
 * file's rows are held at a time.
 */
export async function writeInventoryReport(
  sink: InventorySink,
  options: InventoryReportOptions,
  entries: Iterable<InventoryEntry>,
): Promise<string> {
  const used = columns.filter(([csv]) => options.versioned || !versionColumns.has(csv));
  const rowsPerFile = options.rowsPerFile ?? 100_000;
  const files: { key: string; size: number; MD5checksum: string }[] = [];
  let pending: InventoryEntry[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const extension = options.format === 'CSV' ? 'csv.gz' : 'parquet';
    const key = `${options.configPrefix}data/${randomUUID()}.${extension}`;
    const bytes =
      options.format === 'CSV'
        ? csvFile(pending, used, options.sourceBucket)
        : parquetFile(pending, used, options);
    await sink(key, bytes);
    files.push({ key, size: bytes.length, MD5checksum: md5Hex(bytes) });
    pending = [];
  };
  for (const entry of entries) {
    pending.push(entry);
    if (pending.length >= rowsPerFile) await flush();
  }
  await flush();
  const manifest = {
    sourceBucket: options.sourceBucket,
    destinationBucket: 'arn:aws:s3:::inventory-destination',
    version: '2016-11-30',
    creationTimestamp: String(options.createdAt.getTime()),
    fileFormat: options.format,
    fileSchema:
      options.format === 'CSV'
        ? used.map(([csv]) => csv).join(', ')
        : `message s3.inventory { ${used.map(parquetSchemaLine).join(' ')} }`,
    files,
  };
  const folder = `${options.configPrefix}${reportFolderOf(options.createdAt)}/`;
  const text = new TextEncoder().encode(JSON.stringify(manifest, null, 2));
  await sink(`${folder}manifest.json`, text);
  await sink(`${folder}manifest.checksum`, new TextEncoder().encode(md5Hex(text)));
  return `${folder}manifest.json`;
}

type Column = (typeof columns)[number];

function cellOf(entry: InventoryEntry, csvName: Column[0], bucket: string): unknown {
  switch (csvName) {
    case 'Bucket':
      return bucket;
    case 'Key':
      return entry.key;
    case 'VersionId':
      return entry.versionId ?? '';
    case 'IsLatest':
      return entry.isLatest ?? true;
    case 'IsDeleteMarker':
      return entry.isDeleteMarker ?? false;
    case 'Size':
      return entry.isDeleteMarker ? null : entry.size;
    case 'LastModifiedDate':
      return new Date(Date.UTC(2026, 10, 1));
    case 'ETag':
      return entry.isDeleteMarker ? null : entry.etag;
    case 'StorageClass':
      return entry.isDeleteMarker ? null : (entry.storageClass ?? 'STANDARD');
    case 'IsMultipartUploaded':
      return entry.isDeleteMarker ? null : (entry.isMultipartUploaded ?? false);
  }
}

function csvFile(entries: readonly InventoryEntry[], used: readonly Column[], bucket: string) {
  const lines = entries.map((entry) =>
    used
      .map(([csv]) => {
        const value = cellOf(entry, csv, bucket);
        const text =
          value === null
            ? ''
            : value instanceof Date
              ? value.toISOString()
              : csv === 'Key'
                ? encodeFormEncoded(String(value))
                : String(value);
        return `"${text.replace(/"/g, '""')}"`;
      })
      .join(','),
  );
  return new Uint8Array(gzipSync(`${lines.join('\n')}\n`));
}

function parquetFile(
  entries: readonly InventoryEntry[],
  used: readonly Column[],
  options: InventoryReportOptions,
) {
  const types: Record<string, 'STRING' | 'BOOLEAN' | 'INT64' | 'TIMESTAMP'> = {
    IsLatest: 'BOOLEAN',
    IsDeleteMarker: 'BOOLEAN',
    IsMultipartUploaded: 'BOOLEAN',
    Size: 'INT64',
    LastModifiedDate: 'TIMESTAMP',
  };
  const buffer = parquetWriteBuffer({
    columnData: used.map(([csv, name]) => ({
      name,
      type: types[csv] ?? 'STRING',
      data: entries.map((entry) => {
        const value = cellOf(entry, csv, options.sourceBucket);
        return csv === 'Size' && value !== null ? BigInt(value as number) : value;
      }) as never,
    })),
    rowGroupSize: options.rowGroupRows ?? 50_000,
  });
  return new Uint8Array(buffer);
}

function parquetSchemaLine([csv, name]: Column): string {
  const type =
    csv === 'Size' || csv === 'LastModifiedDate'
      ? `int64 ${name}${csv === 'LastModifiedDate' ? ' (TIMESTAMP_MILLIS)' : ''}`
      : csv.startsWith('Is')
        ? `boolean ${name}`
        : `binary ${name} (UTF8)`;
  return `${csv === 'Bucket' || csv === 'Key' ? 'required' : 'optional'} ${type};`;
}

function md5Hex(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}
