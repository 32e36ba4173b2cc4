import type { RequestOptions } from '../ports/object-store.js';
import type { InventoryDataFile, InventoryManifest } from './inventory-manifest.js';
import type { InventoryRow } from './inventory-row.js';

/**
 * The port an S3 Inventory is read through. Where one is kept, read as AWS lays it out: the folder given holds one folder per
 * report (`YYYY-MM-DDTHH-MMZ/`, with `manifest.json` and `manifest.checksum`), and the manifest
 * names the data files. Adapters read a destination bucket or a local copy of one, and decode
 * the data files' format; core chooses the report, checks the manifest and folds the rows.
 */
export interface InventorySource {
  /** Where it is, for messages and results: `s3://dest/prefix/`, `file:///copy/`. */
  readonly location: string;

  /** The names of the folders directly in the location (report folders among them). */
  listFolders(options?: RequestOptions): Promise<readonly string[]>;

  /**
   * A small file of a report folder (`manifest.json`, `manifest.checksum`), whole, and its URL
   * for messages; `bytes` undefined when it is missing.
   */
  readReportFile(
    folder: string,
    name: string,
    options?: RequestOptions,
  ): Promise<{ readonly bytes: Uint8Array | undefined; readonly url: string }>;

  /**
   * The rows of one data file, in batches, decoded by the manifest's format and columns. The
   * adapter checks the file's MD5 against the manifest's and rejects with `InventoryError`
   * naming the file when it is missing, damaged, truncated or does not match.
   */
  /**
   * Where a data file is, as a SQL engine on this machine opens it: a local path, or an
   * `s3://BUCKET/KEY` URL. Rejects with `InventoryError` when it cannot be found.
   */
  locate(file: InventoryDataFile, options?: RequestOptions): Promise<string>;

  readRows(
    file: InventoryDataFile,
    manifest: InventoryManifest,
    options?: RequestOptions,
  ): AsyncIterable<readonly InventoryRow[]>;
}
