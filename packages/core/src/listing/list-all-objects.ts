import type { ListOptions, ObjectStore, ObjectSummary } from '../ports/object-store.js';

export interface ListAllObjectsOptions {
  readonly prefix?: string | undefined;
  /** Roll keys that contain it after the prefix up, as S3 does: only the prefix's own keys. */
  readonly delimiter?: string | undefined;
  readonly pageSize?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Every object under a prefix, page by page, each exactly once, without holding them all. */
export async function* listAllObjects(
  store: ObjectStore,
  bucket: string,
  options: ListAllObjectsOptions = {},
): AsyncGenerator<readonly ObjectSummary[]> {
  let cursor: string | undefined;
  do {
    const request: ListOptions = {
      prefix: options.prefix,
      delimiter: options.delimiter,
      maxKeys: options.pageSize,
      signal: options.signal,
      cursor,
    };
    const page = await store.list(bucket, request);
    yield page.objects;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
