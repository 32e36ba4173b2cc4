import type { ListOptions, ObjectStore } from '@deltaglider/core';

const encoder = new TextEncoder();

/** Writes each key with its own name as the body, a few at a time. */
export async function putKeys(
  store: ObjectStore,
  bucket: string,
  keys: readonly string[],
): Promise<void> {
  const concurrency = 16;
  for (let start = 0; start < keys.length; start += concurrency) {
    await Promise.all(
      keys
        .slice(start, start + concurrency)
        .map((key) => store.put(bucket, key, encoder.encode(key))),
    );
  }
}

export interface ListedEverything {
  readonly keys: string[];
  /** Objects and common prefixes in the order the pages gave them. */
  readonly entries: string[];
  readonly pages: number;
}

/** Follows cursors to the end, and fails fast if a store never stops. */
export async function listEverything(
  store: ObjectStore,
  bucket: string,
  options: Omit<ListOptions, 'cursor'>,
): Promise<ListedEverything> {
  const keys: string[] = [];
  const entries: string[] = [];
  let pages = 0;
  let cursor: string | undefined;
  do {
    const page = await store.list(bucket, cursor === undefined ? options : { ...options, cursor });
    pages++;
    if (pages > 10_000) throw new Error('listing did not end after 10,000 pages');
    keys.push(...page.objects.map((object) => object.key));
    const pageEntries = [...page.objects.map((object) => object.key), ...page.commonPrefixes];
    entries.push(...pageEntries.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return { keys, entries, pages };
}
