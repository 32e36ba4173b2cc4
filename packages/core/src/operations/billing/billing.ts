import type { ObjectStore, RequestOptions } from '../../ports/object-store.js';
import type { BucketStats } from '../../stats/bucket-stats-schema.js';
import { totalUploads, type UploadTotals } from './unfinished-uploads.js';
import { totalVersions, type VersionTotals } from './version-totals.js';

/**
 * The bytes the bill counts, next to the stats' own: every listed byte (current objects, by
 * storage class), plus older versions and unfinished uploads' parts when they were listed.
 * `null` parts were not asked for.
 */
export interface Billing {
  /** `listedBytes` plus every part below that was listed. */
  readonly billedBytes: number;
  /** Current objects' bytes, as listed (the storage classes' sum). */
  readonly listedBytes: number;
  readonly versions: VersionTotals | null;
  readonly uploads: UploadTotals | null;
}

export interface BillingOptions extends RequestOptions {
  readonly prefix: string;
  /** List every version too (ListObjectVersions): noncurrent versions and delete markers. */
  readonly versions?: boolean | undefined;
  /** Count unfinished multipart uploads and their parts (ListMultipartUploads, ListParts). */
  readonly uploads?: boolean | undefined;
  readonly byDeltaspace?: boolean | undefined;
}

/** The billing figures for stats just computed or served (the extra listings are never cached). */
export async function billingOf(
  store: ObjectStore,
  bucket: string,
  stats: BucketStats,
  options: BillingOptions,
): Promise<Billing> {
  const [versions, uploads] = await Promise.all([
    options.versions ? totalVersions(store, bucket, options) : null,
    options.uploads ? totalUploads(store, bucket, options) : null,
  ]);
  return billingFrom(stats, versions, uploads);
}

/** The billing figures of stats and whatever else was listed (a listing's, an inventory's). */
export function billingFrom(
  stats: BucketStats,
  versions: VersionTotals | null,
  uploads: UploadTotals | null,
): Billing {
  const listedBytes = stats.storageClasses.reduce((sum, total) => sum + total.bytes, 0);
  return {
    billedBytes: listedBytes + (versions?.noncurrentBytes ?? 0) + (uploads?.bytes ?? 0),
    listedBytes,
    versions,
    uploads,
  };
}
