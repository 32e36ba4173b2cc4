import { classifyKey, referenceKeyOf, userKeyOf } from '../layout/bucket-layout.js';
import type { ListPage, ObjectStore } from '../ports/object-store.js';
import { compareKeys } from '../store-support/compare-keys.js';

export interface UserObject {
  /** The name users know: `x.zip` for a stored `x.zip.delta`. */
  readonly key: string;
  readonly storedKey: string;
  readonly storedAs: 'delta' | 'direct';
  /** Bytes stored (a delta's size, not the original's). */
  readonly size: number;
  readonly lastModified: Date;
  /** With `checkReferences`: a delta whose directory has no `reference.bin` (cannot be rebuilt). */
  readonly unrecoverable?: boolean;
}

export interface UserListingPage {
  readonly objects: readonly UserObject[];
  /** Sub-directories, when listing one level (`recursive: false`). */
  readonly directories: readonly string[];
  /**
   * What the page listed but hides: references, `.deltaglider/` and `.dg/` objects. Their bytes
   * are billed like any others (`ls --summarize` adds them to the total).
   */
  readonly hidden: { readonly objects: number; readonly bytes: number };
}

export interface ListUserObjectsOptions {
  readonly prefix?: string | undefined;
  readonly recursive?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * Mark deltas whose directory has no `reference.bin`, decided from the listing itself (keys
   * come in byte order); only a reference that could still come on a later page, or lies
   * outside the prefix, costs one HEAD, once.
   */
  readonly checkReferences?: boolean | undefined;
}

/**
 * A bucket as users see it, page by page through the whole listing: references and
 * `.deltaglider/` hidden, deltas under their original names.
 */
export async function* listUserObjects(
  store: ObjectStore,
  bucket: string,
  options: ListUserObjectsOptions = {},
): AsyncGenerator<UserListingPage> {
  const prefix = options.prefix ?? '';
  const request = options.signal ? { signal: options.signal } : {};
  const hasReference = new Map<string, boolean>();
  let cursor: string | undefined;
  do {
    const page = await store.list(bucket, {
      prefix,
      delimiter: options.recursive ? undefined : '/',
      cursor,
      signal: options.signal,
    });
    const objects: UserObject[] = [];
    const hidden = { objects: 0, bytes: 0 };
    for (const object of page.objects) {
      const { kind, deltaspace } = classifyKey(object.key);
      if (kind === 'reference') hasReference.set(deltaspace, true);
      if (kind === 'reference' || kind === 'internal') {
        hidden.objects++;
        hidden.bytes += object.size;
        continue;
      }
      objects.push({
        key: kind === 'delta' ? userKeyOf(object.key) : object.key,
        storedKey: object.key,
        storedAs: kind,
        size: object.size,
        lastModified: object.lastModified,
      });
    }
    const directories = page.commonPrefixes.filter(
      (directory) => classifyKey(directory).kind !== 'internal',
    );
    const listedUpTo = page.nextCursor === undefined ? undefined : lastKeyOf(page);
    yield {
      objects: options.checkReferences
        ? await markUnrecoverable(store, bucket, objects, hasReference, request, {
            prefix,
            listedUpTo,
          })
        : objects,
      directories,
      hidden,
    };
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}

async function markUnrecoverable(
  store: ObjectStore,
  bucket: string,
  objects: UserObject[],
  hasReference: Map<string, boolean>,
  request: { signal?: AbortSignal },
  listing: { prefix: string; listedUpTo: string | undefined },
): Promise<UserObject[]> {
  const unknown = new Set<string>();
  for (const object of objects) {
    const { deltaspace } = classifyKey(object.key);
    if (object.storedAs !== 'delta' || hasReference.has(deltaspace)) continue;
    // Keys come in byte order: a reference inside the listing that sorts before where it has
    // got to (or anywhere, once it is complete) would have been seen. Only the others need a HEAD.
    const referenceKey = referenceKeyOf(deltaspace);
    const decided =
      referenceKey.startsWith(listing.prefix) &&
      (listing.listedUpTo === undefined || compareKeys(referenceKey, listing.listedUpTo) <= 0);
    if (decided) hasReference.set(deltaspace, false);
    else unknown.add(deltaspace);
  }
  await Promise.all(
    [...unknown].map(async (deltaspace) => {
      const head = await store.head(bucket, referenceKeyOf(deltaspace), request);
      hasReference.set(deltaspace, head !== null);
    }),
  );
  return objects.map((object) =>
    object.storedAs === 'delta' && hasReference.get(classifyKey(object.key).deltaspace) === false
      ? { ...object, unrecoverable: true }
      : object,
  );
}

/** The furthest key a page reached: its last object or its last rolled-up prefix. */
function lastKeyOf(page: ListPage): string | undefined {
  const object = page.objects.at(-1)?.key;
  const directory = page.commonPrefixes.at(-1);
  if (object === undefined) return directory;
  if (directory === undefined) return object;
  return compareKeys(object, directory) >= 0 ? object : directory;
}
