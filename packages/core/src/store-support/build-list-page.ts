import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import {
  type ListOptions,
  type ListPage,
  MAX_LIST_PAGE_SIZE,
  type ObjectSummary,
} from '../ports/object-store.js';
import { compareKeys } from './compare-keys.js';
import { decodeListCursor, encodeListCursor } from './list-cursor.js';

/** Where a listing resumes: keys strictly after `startAfter` that begin with `prefix`. */
export interface ListPosition {
  readonly prefix: string;
  readonly startAfter: string;
}

/** Reads prefix, cursor and start-after from list options, as every key-paged store does. */
export function resolveListPosition(options: ListOptions = {}): ListPosition {
  const prefix = options.prefix ?? '';
  const startAfter =
    options.cursor !== undefined ? decodeListCursor(options.cursor) : (options.startAfter ?? '');
  return { prefix, startAfter };
}

/** S3 caps a page at 1000 entries and refuses a negative size. */
export function resolveMaxKeys(maxKeys: number | undefined): number {
  if (maxKeys === undefined) return MAX_LIST_PAGE_SIZE;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) {
    throw new InvalidArgumentError(`maxKeys must be a whole number from 1 to 1000, got ${maxKeys}`);
  }
  return Math.min(maxKeys, MAX_LIST_PAGE_SIZE);
}

/**
 * Builds one S3 listing page from objects already sorted by `compareKeys`, for stores that
 * keep keys themselves (memory, directory). Entries before the position or outside the prefix
 * are skipped, so a source may start early; it is read only as far as the page needs.
 */
export async function buildListPage(
  sortedObjects: Iterable<ObjectSummary> | AsyncIterable<ObjectSummary>,
  options: ListOptions = {},
): Promise<ListPage> {
  const { prefix, startAfter } = resolveListPosition(options);
  const maxKeys = resolveMaxKeys(options.maxKeys);
  const delimiter = options.delimiter === '' ? undefined : options.delimiter;

  const objects: ObjectSummary[] = [];
  const commonPrefixes: string[] = [];
  let lastEntry: string | undefined;
  let truncated = false;

  for await (const object of sortedObjects) {
    if (!object.key.startsWith(prefix)) {
      if (compareKeys(object.key, prefix) > 0) break;
      continue;
    }
    if (compareKeys(object.key, startAfter) <= 0) continue;

    const rolledUp =
      delimiter === undefined ? undefined : commonPrefixOf(object.key, prefix, delimiter);
    if (rolledUp !== undefined) {
      // A cursor that ended on this common prefix already returned it.
      if (rolledUp === lastEntry || compareKeys(rolledUp, startAfter) <= 0) continue;
      if (objects.length + commonPrefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      commonPrefixes.push(rolledUp);
      lastEntry = rolledUp;
      continue;
    }
    if (objects.length + commonPrefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    objects.push(object);
    lastEntry = object.key;
  }

  return truncated && lastEntry !== undefined
    ? { objects, commonPrefixes, nextCursor: encodeListCursor(lastEntry) }
    : { objects, commonPrefixes };
}

function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}
