import type { ObjectStore } from '../ports/object-store.js';
import { classifyKey } from '../stats/classify-key.js';

export interface UserObject {
  /** The name users know: `x.zip` for a stored `x.zip.delta`. */
  readonly key: string;
  readonly storedKey: string;
  readonly storedAs: 'delta' | 'direct';
  /** Bytes stored (a delta's size, not the original's). */
  readonly size: number;
  readonly lastModified: Date;
}

export interface UserListingPage {
  readonly objects: readonly UserObject[];
  /** Sub-directories, when listing one level (`recursive: false`). */
  readonly directories: readonly string[];
}

export interface ListUserObjectsOptions {
  readonly prefix?: string;
  readonly recursive?: boolean;
  readonly signal?: AbortSignal;
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
  let cursor: string | undefined;
  do {
    const page = await store.list(bucket, {
      prefix,
      ...(options.recursive ? {} : { delimiter: '/' }),
      ...(cursor === undefined ? {} : { cursor }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const objects: UserObject[] = [];
    for (const object of page.objects) {
      const { kind } = classifyKey(object.key);
      if (kind === 'reference' || kind === 'internal') continue;
      objects.push({
        key: kind === 'delta' ? object.key.slice(0, -'.delta'.length) : object.key,
        storedKey: object.key,
        storedAs: kind,
        size: object.size,
        lastModified: object.lastModified,
      });
    }
    const directories = page.commonPrefixes.filter(
      (directory) => classifyKey(directory).kind !== 'internal',
    );
    yield { objects, directories };
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
