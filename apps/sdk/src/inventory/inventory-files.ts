import type { RequestOptions } from '@deltaglider/core';

/**
 * The files of an inventory destination, wherever it is kept: S3 (`s3://dest/prefix/`) or a
 * local copy of it (`file:///copy/`). Paths are relative to the folder given.
 */
export interface InventoryFiles {
  /** The folder given, as a URL. */
  readonly location: string;
  listFolders(options?: RequestOptions): Promise<readonly string[]>;
  /** A small file whole (a manifest), or undefined when missing. */
  readSmall(path: string, options?: RequestOptions): Promise<Uint8Array | undefined>;
  urlOf(path: string): string;
  /**
   * A data file the manifest names by its key in the destination bucket: its bytes as they
   * stream, and its URL. Rejects when it is missing.
   */
  openDataFile(
    key: string,
    options?: RequestOptions,
  ): Promise<{ readonly body: AsyncIterable<Uint8Array>; readonly url: string }>;
  /** Where a SQL engine on this machine opens the data file: a local path or an s3:// URL. */
  locate(key: string, options?: RequestOptions): Promise<string>;
  /** A local path the data file can be read from at random (Parquet), and how to let it go. */
  localDataFile?(
    key: string,
    options?: RequestOptions,
  ): Promise<{ readonly path: string; readonly url: string } | undefined>;
}
