import { classifyKey } from '../../layout/bucket-layout.js';
import type { ObjectStore, RequestOptions } from '../../ports/object-store.js';

/** What older versions and delete markers hold in one deltaspace. */
export interface DeltaspaceVersions {
  readonly deltaspace: string;
  readonly noncurrentVersions: number;
  readonly noncurrentBytes: number;
  readonly deleteMarkers: number;
}

/**
 * Versions the bill counts and a listing does not show: noncurrent versions (billed like any
 * object, until a lifecycle rule expires them) and delete markers. Deleting a delta on a
 * versioned bucket frees nothing until its versions expire: its bytes move here.
 */
export interface VersionTotals {
  /** False where the store keeps no versions (memory, a directory): all counts are then 0. */
  readonly listed: boolean;
  readonly noncurrentVersions: number;
  readonly noncurrentBytes: number;
  readonly deleteMarkers: number;
  /** Per deltaspace (its deltas and reference), when asked; most bytes first. */
  readonly deltaspaces?: readonly DeltaspaceVersions[];
}

interface Counts {
  noncurrentVersions: number;
  noncurrentBytes: number;
  deleteMarkers: number;
}

const noCounts = (): Counts => ({ noncurrentVersions: 0, noncurrentBytes: 0, deleteMarkers: 0 });

/** Totals every version under `prefix` (one ListObjectVersions pass, page by page). */
export async function totalVersions(
  store: ObjectStore,
  bucket: string,
  options: {
    readonly prefix: string;
    readonly byDeltaspace?: boolean | undefined;
  } & RequestOptions,
): Promise<VersionTotals> {
  const totals = noCounts();
  const spaces = new Map<string, Counts>();
  const listed = store.listVersions !== undefined;
  let cursor: string | undefined;
  while (store.listVersions) {
    const page = await store.listVersions(bucket, {
      prefix: options.prefix,
      cursor,
      signal: options.signal,
    });
    for (const version of page.versions) {
      if (version.isLatest && !version.isDeleteMarker) continue;
      const { kind, deltaspace } = classifyKey(version.key);
      const counted = [totals];
      if (options.byDeltaspace && (kind === 'delta' || kind === 'reference')) {
        if (!spaces.has(deltaspace)) spaces.set(deltaspace, noCounts());
        counted.push(spaces.get(deltaspace)!);
      }
      for (const counts of counted) {
        if (version.isDeleteMarker) counts.deleteMarkers++;
        else {
          counts.noncurrentVersions++;
          counts.noncurrentBytes += version.size;
        }
      }
    }
    cursor = page.nextCursor;
    if (cursor === undefined) break;
  }
  if (!options.byDeltaspace) return { listed, ...totals };
  const deltaspaces = [...spaces]
    .map(([deltaspace, counts]) => ({ deltaspace, ...counts }))
    .sort(
      (a, b) => b.noncurrentBytes - a.noncurrentBytes || (a.deltaspace < b.deltaspace ? -1 : 1),
    );
  return { listed, ...totals, deltaspaces };
}
