import type { ObjectStore, RequestOptions, UnfinishedUpload } from '../../ports/object-store.js';

/** ListParts requests in flight at once: one per upload, bounded. */
const PARTS_CONCURRENCY = 8;

/**
 * Multipart uploads begun and never completed nor aborted: invisible to a listing, their
 * parts billed until aborted (by `rm --incomplete-uploads` or a lifecycle rule).
 */
export interface UploadTotals {
  /** False where the store has no multipart uploads (memory, a directory): counts are 0. */
  readonly listed: boolean;
  readonly uploads: number;
  readonly parts: number;
  readonly bytes: number;
  /** When the oldest began (ISO 8601), or null without any. */
  readonly oldestInitiated: string | null;
}

/** Every unfinished upload under `prefix`, page by page (ListMultipartUploads). */
export async function* unfinishedUploads(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  options: RequestOptions = {},
): AsyncGenerator<UnfinishedUpload> {
  let cursor: string | undefined;
  while (store.listUploads) {
    const page = await store.listUploads(bucket, { prefix, cursor, signal: options.signal });
    yield* page.uploads;
    cursor = page.nextCursor;
    if (cursor === undefined) return;
  }
}

/** Counts the unfinished uploads under `prefix` and the bytes of their parts. */
export async function totalUploads(
  store: ObjectStore,
  bucket: string,
  options: { readonly prefix: string } & RequestOptions,
): Promise<UploadTotals> {
  const totals = { uploads: 0, parts: 0, bytes: 0 };
  let oldest: Date | undefined;
  const listParts = store.listParts?.bind(store);
  const pending = new Set<Promise<void>>();
  let failure: { readonly error: unknown } | undefined;
  for await (const upload of unfinishedUploads(store, bucket, options.prefix, options)) {
    totals.uploads++;
    if (oldest === undefined || upload.initiated < oldest) oldest = upload.initiated;
    if (!listParts) continue;
    const counted: Promise<void> = listParts(bucket, upload, options)
      .then(
        (parts) => {
          totals.parts += parts.length;
          for (const part of parts) totals.bytes += part.size;
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => pending.delete(counted));
    pending.add(counted);
    if (pending.size >= PARTS_CONCURRENCY) await Promise.race(pending);
    if (failure) break;
  }
  await Promise.all(pending);
  if (failure) throw failure.error;
  return {
    listed: store.listUploads !== undefined,
    ...totals,
    oldestInitiated: oldest?.toISOString() ?? null,
  };
}
