import { InventoryError } from '../errors/inventory-error.js';
import { Md5 } from '../hashing/md5.js';
import type { Logger } from '../ports/logger.js';
import type { RequestOptions } from '../ports/object-store.js';
import { chooseReportFolder } from './inventory-dates.js';
import { type InventoryManifest, parseInventoryManifest } from './inventory-manifest.js';
import type { InventorySource } from './inventory-source.js';

/** A report chosen and its manifest read and checked: what stats and SQL are made from. */
export interface OpenedInventoryReport {
  readonly inventory: InventoryManifest;
  /** The manifest.json's URL. */
  readonly url: string;
  /** The report folder's name, `2026-12-01T01-00Z`. */
  readonly folder: string;
}

/** The name of the latest report folder (`2026-12-01T01-00Z`), or undefined: one listing. */
export async function latestInventoryReport(
  source: InventorySource,
  options: RequestOptions = {},
): Promise<string | undefined> {
  return chooseReportFolder(await source.listFolders({ signal: options.signal }));
}

/**
 * The latest report of `bucket`'s inventory (or the one `date` names): its manifest, checked
 * against `manifest.checksum` (the MD5 of its bytes), in a format we read, of that bucket.
 */
export async function openInventoryReport(
  source: InventorySource,
  bucket: string,
  options: RequestOptions & { readonly date?: string | undefined; readonly logger: Logger },
): Promise<OpenedInventoryReport> {
  const request = { signal: options.signal };
  const folders = await source.listFolders(request);
  const folder = chooseReportFolder(folders, options.date);
  if (folder === undefined)
    throw new InventoryError(
      source.location,
      options.date === undefined
        ? 'no report folder (YYYY-MM-DDTHH-MMZ/) here: give the folder S3 Inventory writes into, destination-prefix/source-bucket/config-ID/'
        : `no report of ${options.date} here (the latest is ${chooseReportFolder(folders) ?? 'none'})`,
    );
  // Both files at once: one round trip, not two.
  const [manifest, checksum] = await Promise.all([
    source.readReportFile(folder, 'manifest.json', request),
    source.readReportFile(folder, 'manifest.checksum', request),
  ]);
  if (manifest.bytes === undefined)
    throw new InventoryError(manifest.url, 'missing (the report may still be being written)');
  if (checksum.bytes === undefined) {
    options.logger.warn(`inventory ${checksum.url} is missing: the manifest is read unchecked`);
  } else {
    const expected = new TextDecoder().decode(checksum.bytes).trim().toLowerCase();
    const md5 = new Md5();
    md5.update(manifest.bytes);
    const actual = md5.digestHex();
    if (actual !== expected)
      throw new InventoryError(
        manifest.url,
        `its MD5 is ${actual} but manifest.checksum says ${expected}: the manifest is damaged or was replaced mid-read`,
      );
  }
  const inventory = parseInventoryManifest(new TextDecoder().decode(manifest.bytes), manifest.url);
  if (inventory.sourceBucket !== bucket)
    throw new InventoryError(
      manifest.url,
      `it is an inventory of bucket ${inventory.sourceBucket}, not of ${bucket}`,
    );
  return { inventory, url: manifest.url, folder };
}
