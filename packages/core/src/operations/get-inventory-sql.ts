import type { InventorySource } from '../inventory/inventory-source.js';
import { type InventorySqlOptions, inventorySql } from '../inventory/inventory-sql.js';
import { openInventoryReport } from '../inventory/open-inventory-report.js';
import { type Logger, silentLogger } from '../ports/logger.js';

export interface InventorySqlRequest extends Omit<InventorySqlOptions, 'files' | 'reportFolder'> {
  /** The report folder (`2026-12-01T00-00Z`) or day (`2026-12-01`) to read; default the latest. */
  readonly date?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * The SQL that computes `getInventoryStats`' per-deltaspace totals over the same report, in an
 * engine the user runs: DuckDB over the report's data files, or Athena over the inventory
 * table. Reads the manifest only.
 */
export async function getInventorySql(
  source: InventorySource,
  bucket: string,
  request: InventorySqlRequest,
): Promise<string> {
  const report = await openInventoryReport(source, bucket, {
    date: request.date,
    signal: request.signal,
    logger: request.logger ?? silentLogger,
  });
  const files =
    request.flavour === 'duckdb'
      ? await Promise.all(
          report.inventory.files.map((file) => source.locate(file, { signal: request.signal })),
        )
      : undefined;
  return inventorySql(report.inventory, { ...request, files, reportFolder: report.folder });
}
