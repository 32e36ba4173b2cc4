import { StatsOptionError } from '../errors/stats-option-error.js';

// S3 Inventory writes each report's manifest under a folder named for when it began scanning
// the bucket: `YYYY-MM-DDTHH-MMZ/manifest.json`. Names sort as times do.

const REPORT_FOLDER = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isReportFolder(name: string): boolean {
  return REPORT_FOLDER.test(name);
}

/**
 * The report to read among the folders found: the latest, or with `wanted` (a folder name, or
 * a day `YYYY-MM-DD` for that day's latest) the one it names. Undefined when none matches.
 */
export function chooseReportFolder(
  folders: readonly string[],
  wanted?: string | undefined,
): string | undefined {
  const reports = folders.filter(isReportFolder).sort();
  if (wanted === undefined) return reports.at(-1);
  checkReportDate(wanted);
  return reports.filter((name) => name === wanted || name.startsWith(`${wanted}T`)).at(-1);
}

/** `--inventory-date`: a report folder's name or a day. */
export function checkReportDate(wanted: string): void {
  if (!REPORT_FOLDER.test(wanted) && !DAY.test(wanted))
    throw new StatsOptionError(
      'inventoryDate',
      `inventory date ${JSON.stringify(wanted)} is neither a day (2026-12-01) nor a report folder (2026-12-01T00-00Z)`,
    );
}
