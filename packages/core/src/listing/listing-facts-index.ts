import {
  type FactsVerdict,
  factsFor,
  factsPrefixOf,
  type ListingFact,
  parseFactsKey,
} from '../layout/listing-facts.js';
import type { ObjectStore, RequestOptions } from '../ports/object-store.js';
import { listAllObjects } from './list-all-objects.js';

/**
 * The listing-facts entries of a part of a bucket, by stored key. Held in memory while stats
 * run: about one short record per delta, less than the listing itself holds for a HEAD queue.
 */
export class ListingFactsIndex {
  private readonly byKey = new Map<string, ListingFact[]>();
  private entries = 0;

  add(fact: ListingFact): void {
    const known = this.byKey.get(fact.storedKey);
    if (known) known.push(fact);
    else this.byKey.set(fact.storedKey, [fact]);
    this.entries++;
  }

  get size(): number {
    return this.entries;
  }

  /** What the entries say of one listed object (its key, ETag and size must all match). */
  verdictFor(stored: {
    readonly key: string;
    readonly etag?: string | undefined;
    readonly size: number;
  }): FactsVerdict {
    const entries = this.byKey.get(stored.key);
    if (!entries || stored.etag === undefined) return { kind: 'none' };
    return factsFor(entries, { etag: stored.etag, size: stored.size });
  }
}

/**
 * Reads every facts entry of keys under `prefix` with one LIST (in pages) over
 * `.dg/facts/<enc(prefix)>`. Keys that do not parse are someone else's: ignored.
 */
export async function readListingFacts(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  options: RequestOptions = {},
): Promise<ListingFactsIndex> {
  const index = new ListingFactsIndex();
  for await (const page of listAllObjects(store, bucket, {
    prefix: factsPrefixOf(prefix),
    ...options,
  })) {
    for (const object of page) {
      const fact = parseFactsKey(object.key);
      if (fact?.storedKey.startsWith(prefix)) index.add(fact);
    }
  }
  return index;
}
