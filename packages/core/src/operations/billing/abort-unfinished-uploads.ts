import type { ObjectStore, RequestOptions, UnfinishedUpload } from '../../ports/object-store.js';
import { unfinishedUploads } from './unfinished-uploads.js';

export interface AbortUploadsOptions extends RequestOptions {
  readonly prefix: string;
  /** Uploads begun less than this long ago are left alone: they may still be running. */
  readonly olderThanMs: number;
  readonly now: Date;
  /** List what would be aborted, abort nothing. */
  readonly dryRun?: boolean | undefined;
  /** Told of each upload as it is aborted (or, on a dry run, would be). */
  readonly onUpload?: ((upload: UnfinishedUpload) => void) | undefined;
}

export interface AbortUploadsResult {
  /** False where the store has no multipart uploads: nothing was looked for. */
  readonly listed: boolean;
  readonly aborted: readonly UnfinishedUpload[];
  /** Uploads younger than `olderThanMs`, left running. */
  readonly kept: number;
}

/**
 * Aborts the unfinished multipart uploads under `prefix` that began at least `olderThanMs`
 * ago, one at a time; their parts stop being billed. A younger upload may be a `cp` still
 * running elsewhere, so it is never touched.
 */
export async function abortUnfinishedUploads(
  store: ObjectStore,
  bucket: string,
  options: AbortUploadsOptions,
): Promise<AbortUploadsResult> {
  const aborted: UnfinishedUpload[] = [];
  let kept = 0;
  const cutoff = options.now.getTime() - options.olderThanMs;
  for await (const upload of unfinishedUploads(store, bucket, options.prefix, options)) {
    if (upload.initiated.getTime() > cutoff) {
      kept++;
      continue;
    }
    if (!options.dryRun) await store.abortUpload?.(bucket, upload, options);
    aborted.push(upload);
    options.onUpload?.(upload);
  }
  return { listed: store.listUploads !== undefined, aborted, kept };
}
