import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  InvalidArgumentError,
  type InventoryDataFile,
  type InventoryManifest,
  type InventorySource,
  type InventoryStatsOptions,
  normalizePrefix,
  type ObjectStore,
  type RequestOptions,
} from '@deltaglider/core';
import { processTempDirectory } from '../process-temp-directory.js';
import { fileEndpointPath } from '../resolve-object-store.js';
import { csvInventoryRows } from './csv-inventory-rows.js';
import { checkFileMd5, DataFileMd5 } from './data-file-md5.js';
import type { InventoryFiles } from './inventory-files.js';
import { localInventoryFiles } from './local-inventory-files.js';
import { parquetInventoryRows } from './parquet-inventory-rows.js';
import { storeInventoryFiles } from './store-inventory-files.js';

/** What `getInventoryStats` takes: where the inventory is, and which report of it to read. */
export interface InventoryStatsRequest extends Omit<InventoryStatsOptions, 'logger' | 'clock'> {
  /** `s3://DEST/PREFIX/` or `file://DIR`: the folder holding the dated report folders. */
  readonly inventory: string;
}

/**
 * The inventory a URL names: `s3://BUCKET/PREFIX/` (read through `store`, the client's, with
 * its endpoint and credentials) or `file://DIR` (a local copy). Either is the folder S3
 * Inventory writes report folders into: `destination-prefix/source-bucket/config-ID/`.
 */
export function openInventory(url: string, store: ObjectStore): InventorySource {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(url);
  if (s3) return inventorySourceOf(storeInventoryFiles(store, s3[1]!, normalizePrefix(s3[2])));
  if (/^file:/i.test(url)) return inventorySourceOf(localInventoryFiles(fileEndpointPath(url)));
  throw new InvalidArgumentError(
    `inventory ${JSON.stringify(url)} is not s3://BUCKET/PREFIX/ nor file://DIR: give the folder that holds the inventory's dated report folders`,
  );
}

function inventorySourceOf(files: InventoryFiles): InventorySource {
  return {
    location: files.location,
    listFolders: (options) => files.listFolders(options),
    async readReportFile(folder, name, options) {
      const path = `${folder}/${name}`;
      return { bytes: await files.readSmall(path, options), url: files.urlOf(path) };
    },
    locate: (file, options) => files.locate(file.key, options),
    readRows: (file, manifest, options) => rowsOf(files, file, manifest, options),
  };
}

async function* rowsOf(
  files: InventoryFiles,
  file: InventoryDataFile,
  manifest: InventoryManifest,
  options: RequestOptions = {},
) {
  if (manifest.format === 'CSV') {
    const { body, url } = await files.openDataFile(file.key, options);
    yield* csvInventoryRows(body, url, file, manifest.columns);
    return;
  }
  // Parquet is read at random (its footer first): from the local file, or a temporary copy.
  const local = await files.localDataFile?.(file.key, options);
  if (local) {
    await checkFileMd5(local.path, local.url, file);
    yield* parquetInventoryRows(local.path, local.url, manifest.columns);
    return;
  }
  const { body, url } = await files.openDataFile(file.key, options);
  const directory = await mkdtemp(join(processTempDirectory(), 'inventory-'));
  try {
    const path = join(directory, 'data.parquet');
    const md5 = new DataFileMd5(url, file);
    await pipeline(md5.through(body), createWriteStream(path), { signal: options.signal });
    md5.check();
    yield* parquetInventoryRows(path, url, manifest.columns);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
