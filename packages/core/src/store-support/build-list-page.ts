import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { numberProblem } from '../errors/number-problem.js';
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
  const problem = numberProblem(maxKeys, 'count');
  if (problem) throw new InvalidArgumentError(`maxKeys ${problem}, got ${maxKeys}`);
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
  const page = new ListPageBuilder(options);
  // A synchronous source is read synchronously: `for await` would cost a microtask per object.
  if (Symbol.iterator in sortedObjects) {
    for (const object of sortedObjects) if (!page.offer(object)) break;
  } else {
    for await (const object of sortedObjects) if (!page.offer(object)) break;
  }
  return page.finish();
}

/** One page being filled, entry by entry, with S3's prefix, delimiter and size rules. */
class ListPageBuilder {
  private readonly prefix: string;
  private readonly startAfter: string;
  private readonly maxKeys: number;
  private readonly delimiter: string | undefined;
  private readonly objects: ObjectSummary[] = [];
  private readonly commonPrefixes: string[] = [];
  private lastEntry: string | undefined;
  private truncated = false;

  constructor(options: ListOptions) {
    ({ prefix: this.prefix, startAfter: this.startAfter } = resolveListPosition(options));
    this.maxKeys = resolveMaxKeys(options.maxKeys);
    this.delimiter = options.delimiter === '' ? undefined : options.delimiter;
  }

  /** Takes the next object in key order; false once the page needs no more. */
  offer(object: ObjectSummary): boolean {
    const { prefix, startAfter, delimiter } = this;
    if (!object.key.startsWith(prefix)) return compareKeys(object.key, prefix) <= 0;
    if (compareKeys(object.key, startAfter) <= 0) return true;

    const rolledUp =
      delimiter === undefined ? undefined : commonPrefixOf(object.key, prefix, delimiter);
    if (rolledUp !== undefined) {
      // A cursor that ended on this common prefix already returned it.
      if (rolledUp === this.lastEntry || compareKeys(rolledUp, startAfter) <= 0) return true;
      if (this.isFull()) return false;
      this.commonPrefixes.push(rolledUp);
      this.lastEntry = rolledUp;
      return true;
    }
    if (this.isFull()) return false;
    this.objects.push(object);
    this.lastEntry = object.key;
    return true;
  }

  finish(): ListPage {
    const { objects, commonPrefixes, lastEntry } = this;
    return this.truncated && lastEntry !== undefined
      ? { objects, commonPrefixes, nextCursor: encodeListCursor(lastEntry) }
      : { objects, commonPrefixes };
  }

  /** A page is truncated only when another entry exists beyond a full page. */
  private isFull(): boolean {
    this.truncated = this.objects.length + this.commonPrefixes.length >= this.maxKeys;
    return this.truncated;
  }
}

function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}
