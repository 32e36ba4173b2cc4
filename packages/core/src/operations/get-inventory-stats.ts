import type { InventoryManifest } from '../inventory/inventory-manifest.js';
import type { InventorySource } from '../inventory/inventory-source.js';
import { InventoryStatsFolder, type InventoryTotals } from '../inventory/inventory-stats-folder.js';
import { openInventoryReport } from '../inventory/open-inventory-report.js';
import { statsCacheKey } from '../layout/bucket-layout.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { type Logger, silentLogger } from '../ports/logger.js';
import { billingFrom } from './billing/billing.js';
import type { BucketStatsResult, StatsProgress } from './stats/stats-options.js';
import { warnUnrecoverable, withBreakdownIfAsked } from './stats/stats-reporting.js';

export interface InventoryStatsOptions {
  /** The report folder (`2026-12-01T00-00Z`) or day (`2026-12-01`) to read; default the latest. */
  readonly date?: string | undefined;
  /** Stats for keys under this directory only. */
  readonly prefix?: string | undefined;
  readonly byDeltaspace?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Called after each batch of rows: `pages` counts data files begun, `objects` rows read. */
  readonly onProgress?: ((progress: StatsProgress) => void) | undefined;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
}

/** Which report was read, and what it says beyond the stats. */
export interface InventoryFacts extends InventoryTotals {
  /** The manifest.json read. */
  readonly manifest: string;
  /** Its report folder's name, `2026-12-01T01-00Z`. */
  readonly report: string;
  readonly format: InventoryManifest['format'];
  readonly files: number;
}

/**
 * Stats as a listing gives them, from an inventory. `cache` says no cache was read or written
 * (`disabled`); its `computedAt` is the report's `asOf` and `ageSeconds` its age: the numbers
 * describe the bucket then.
 */
export interface InventoryStats extends BucketStatsResult {
  readonly source: 'inventory';
  /** When S3 began the scan the inventory describes: the numbers are of then, not now. */
  readonly asOf: string;
  readonly inventory: InventoryFacts;
}

/**
 * Bucket stats from an S3 Inventory report instead of a listing: the latest report (or the
 * one asked for) is read whole, every row classified and aggregated as a listed object would
 * be. Nothing is written anywhere, in the bucket or its cache: the numbers are as of the
 * report, not live.
 */
export async function getInventoryStats(
  source: InventorySource,
  bucket: string,
  options: InventoryStatsOptions = {},
): Promise<InventoryStats> {
  const logger = options.logger ?? silentLogger;
  const request = { signal: options.signal };
  const manifest = await openInventoryReport(source, bucket, { ...options, logger });

  const fold = new InventoryStatsFolder({
    prefix: options.prefix,
    etagsListed: manifest.inventory.columns.position.etag !== undefined,
    multipartListed: manifest.inventory.columns.position.isMultipartUploaded !== undefined,
  });
  let filesBegun = 0;
  let rows = 0;
  for (const file of manifest.inventory.files) {
    filesBegun++;
    for await (const batch of source.readRows(file, manifest.inventory, request)) {
      options.signal?.throwIfAborted();
      for (const row of batch) fold.add(row);
      rows += batch.length;
      options.onProgress?.({ phase: 'list', pages: filesBegun, objects: rows });
    }
  }
  const { stats, totals } = fold.finish(bucket);
  warnUnrecoverable(logger, bucket, stats);
  const now = (options.clock ?? systemClock).now();
  const { asOf } = manifest.inventory;
  return {
    ...withBreakdownIfAsked(stats, options),
    cache: {
      status: 'disabled',
      key: statsCacheKey('quick', options.prefix),
      computedAt: asOf.toISOString(),
      ageSeconds: Math.max(0, Math.floor((now.getTime() - asOf.getTime()) / 1000)),
      written: false,
    },
    // Only a versioned inventory (with IsLatest) lists older versions and delete markers.
    billing: billingFrom(
      stats,
      manifest.inventory.columns.position.isLatest === undefined
        ? null
        : {
            listed: true,
            noncurrentVersions: totals.noncurrentVersions.objects,
            noncurrentBytes: totals.noncurrentVersions.bytes,
            deleteMarkers: totals.deleteMarkers,
          },
      null,
    ),
    source: 'inventory',
    asOf: asOf.toISOString(),
    inventory: {
      ...totals,
      manifest: manifest.url,
      report: manifest.folder,
      format: manifest.inventory.format,
      files: manifest.inventory.files.length,
    },
  };
}
