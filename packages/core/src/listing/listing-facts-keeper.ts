import { isAbortError } from '../errors/is-abort-error.js';
import { messageOf } from '../errors/message-of.js';
import {
  FACTS_PREFIX,
  factsKeyOf,
  factsPrefixOf,
  factsPrefixOfKey,
  type ListingFact,
  parseFactsKey,
} from '../layout/listing-facts.js';
import { type Logger, silentLogger } from '../ports/logger.js';
import type { ObjectStore, ObjectSummary, RequestOptions } from '../ports/object-store.js';
import { deleteObjects } from './delete-objects.js';
import { listAllObjects } from './list-all-objects.js';
import type { ListingFactsSetting } from './listing-facts-setting.js';

/**
 * Keeps deltaglider_proxy's listing facts true to what our uploads and removals change: writes
 * the entry of each delta stored, and deletes the entries of what is overwritten or removed.
 * All of it is best effort: a facts request that fails is a warning, never a failed upload, and
 * stats then fall back to a HEAD for that delta. `auto` asks each bucket once (one LIST of at
 * most one key) whether it holds facts, so buckets only the Python tool reads, which would count
 * `.dg/` keys as files, stay free of them.
 */
export class ListingFactsKeeper {
  private readonly decided = new Map<string, Promise<boolean>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly setting: ListingFactsSetting,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Whether this bucket's facts are kept; `auto` asks the bucket once per keeper. */
  keepsFacts(bucket: string, options: RequestOptions = {}): Promise<boolean> {
    if (this.setting !== 'auto') return Promise.resolve(this.setting === 'on');
    let decision = this.decided.get(bucket);
    if (!decision) {
      decision = this.store
        .list(bucket, { prefix: FACTS_PREFIX, maxKeys: 1, ...options })
        .then((page) => page.objects.length > 0);
      this.decided.set(bucket, decision);
      // A failed look (or an aborted one) is asked again next time.
      decision.catch(() => this.decided.delete(bucket));
    }
    return decision;
  }

  /**
   * After a delta was stored: writes its entry, then deletes the entries of the same key that
   * the store wrote before it (by the store's own clock, as the proxy does, so a newer entry
   * from a racing writer survives).
   */
  async recordStored(bucket: string, fact: ListingFact, options: RequestOptions = {}) {
    await this.bestEffort(bucket, fact.storedKey, options, async () => {
      const key = factsKeyOf(fact);
      if (key !== undefined) await this.store.put(bucket, key, new Uint8Array(0), options);
      const entries = await this.entriesOf(bucket, fact.storedKey, options);
      const mine = entries.find((entry) => entry.key === key);
      // An object that gets no entry (its key is too long) leaves none of its key's standing.
      const stale =
        key === undefined
          ? entries
          : entries.filter((entry) => mine && entry.lastModified < mine.lastModified);
      await this.deleteEntries(bucket, stale, options);
    });
  }

  /** After stored keys were deleted (or replaced by a file stored whole): their entries go. */
  async forgetKeys(bucket: string, storedKeys: readonly string[], options: RequestOptions = {}) {
    for (const storedKey of storedKeys) {
      await this.bestEffort(bucket, storedKey, options, async () =>
        this.deleteEntries(bucket, await this.entriesOf(bucket, storedKey, options), options),
      );
    }
  }

  /**
   * After a recursive removal under `prefix`: the entries of the keys it deleted go, with one
   * LIST (in pages) over the prefix's facts instead of one per key.
   */
  async forgetUnder(
    bucket: string,
    prefix: string,
    deleted: ReadonlySet<string>,
    options: RequestOptions = {},
  ) {
    if (deleted.size === 0) return;
    await this.bestEffort(bucket, `${prefix}*`, options, async () => {
      for await (const page of listAllObjects(this.store, bucket, {
        prefix: factsPrefixOf(prefix),
        ...options,
      })) {
        const stale = page.filter((entry) => {
          const fact = parseFactsKey(entry.key);
          return fact !== undefined && deleted.has(fact.storedKey);
        });
        await this.deleteEntries(bucket, stale, options);
      }
    });
  }

  private async entriesOf(
    bucket: string,
    storedKey: string,
    options: RequestOptions,
  ): Promise<ObjectSummary[]> {
    const entries: ObjectSummary[] = [];
    for await (const page of listAllObjects(this.store, bucket, {
      prefix: factsPrefixOfKey(storedKey),
      ...options,
    }))
      entries.push(...page);
    return entries;
  }

  private async deleteEntries(
    bucket: string,
    entries: readonly ObjectSummary[],
    options: RequestOptions = {},
  ) {
    if (entries.length === 0) return;
    const result = await deleteObjects(
      this.store,
      bucket,
      entries.map((entry) => entry.key),
      options,
    );
    for (const failure of result.failed)
      this.logger.warn(`listing facts entry ${failure.key} not deleted: ${failure.message}`);
  }

  private async bestEffort(
    bucket: string,
    storedKey: string,
    options: RequestOptions,
    work: () => Promise<void>,
  ): Promise<void> {
    try {
      if (!(await this.keepsFacts(bucket, options))) return;
      await work();
    } catch (error) {
      if (isAbortError(error)) throw error;
      this.logger.warn(
        `listing facts of ${storedKey} not updated (${messageOf(error)}); stats will HEAD it instead`,
      );
    }
  }
}
