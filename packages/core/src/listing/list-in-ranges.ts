import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ObjectStore, ObjectSummary } from '../ports/object-store.js';
import { compareKeys } from '../store-support/compare-keys.js';
import { ListingOrderError } from './listing-order-error.js';

export interface ListInRangesOptions {
  readonly prefix?: string;
  readonly signal?: AbortSignal;
  /**
   * Keys that split the listing into ranges of about one page each, known from an earlier
   * listing (the stats cache keeps them). Resolving `undefined` or `[]` lists sequentially.
   * The first range starts at once; the others as soon as this resolves. With boundaries,
   * every page is checked for S3's key order: `ListingOrderError` when a server breaks it.
   */
  readonly boundaries?: Promise<readonly string[] | undefined>;
  /** LIST requests in flight at once. Default 16. */
  readonly concurrency?: number;
}

const DEFAULT_LIST_CONCURRENCY = 16;
const CHECKPOINT_EVERY = 50;
const MAX_READY_PAGES = 8;
/** Keys per range: a 1000-key page less 5 % slack for objects added since. */
const RANGE_BUDGET = 950;

interface RangeBound {
  /** The range's last key, inclusive; undefined while open-ended. */
  end: string | undefined;
  /** The last key this range has handed out so far. */
  lastYielded?: string;
}

/**
 * Every object under a prefix exactly once, in pages, listing key ranges concurrently when
 * boundaries are known. Pages arrive in no particular order across ranges; within a range they
 * are in key order. Range `i` covers keys in `(b[i-1], b[i]]`; the last is open-ended.
 */
export async function* listInRanges(
  store: ObjectStore,
  bucket: string,
  options: ListInRangesOptions = {},
): AsyncGenerator<readonly ObjectSummary[]> {
  const prefix = options.prefix ?? '';
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  // Every concurrent LIST listens to it: more than Node's default of 10 is expected.
  setMaxListeners(0, signal);
  const limit = pLimit(options.concurrency ?? DEFAULT_LIST_CONCURRENCY);
  const ready: (readonly ObjectSummary[])[] = [];
  let failure: { error: unknown } | undefined;
  let running = 0;
  let wake: (() => void) | undefined;
  // Ranges pause while this many pages wait for the consumer, so memory stays bounded.
  const roomWaiters: (() => void)[] = [];
  const waitForRoom = async () => {
    while (ready.length >= MAX_READY_PAGES)
      await new Promise<void>((resolve) => roomWaiters.push(resolve));
  };
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  /** Lists `(startAfter, end]`; `end` may be tightened while it runs (the first range). */
  const listRange = async (startAfter: string | undefined, bound: RangeBound) => {
    let cursor: string | undefined;
    for (;;) {
      await waitForRoom();
      const resumesFromStart = cursor === undefined && startAfter !== undefined;
      const page = await store
        .list(bucket, {
          prefix,
          signal,
          ...(cursor !== undefined ? { cursor } : startAfter !== undefined ? { startAfter } : {}),
        })
        .catch((error: unknown) => {
          // S3 Express One Zone directory buckets refuse StartAfter outright.
          if (resumesFromStart && InvalidArgumentError.isInstance(error))
            throw new ListingOrderError(`the server refused StartAfter (${error.message})`);
          throw error;
        });
      // Sequential paging is correct in any order; ranges need S3's, or keys count twice.
      if (options.boundaries !== undefined)
        assertOrdered(page.objects, bound.lastYielded ?? startAfter);
      const end = bound.end;
      const objects =
        end === undefined ? page.objects : page.objects.filter((o) => compareKeys(o.key, end) <= 0);
      if (objects.length > 0) {
        ready.push(objects);
        bound.lastYielded = objects.at(-1)!.key;
        notify();
      }
      const passedEnd = end !== undefined && objects.length < page.objects.length;
      const reachedEnd =
        end !== undefined && objects.length > 0 && compareKeys(objects.at(-1)!.key, end) >= 0;
      if (passedEnd || reachedEnd || page.nextCursor === undefined) return;
      cursor = page.nextCursor;
    }
  };

  const start = (task: () => Promise<void>) => {
    running++;
    limit(task).then(
      () => {
        running--;
        notify();
      },
      (error: unknown) => {
        running--;
        failure ??= { error };
        notify();
      },
    );
  };

  const first: RangeBound = { end: undefined };
  start(() => listRange(undefined, first));
  let boundariesPending = options.boundaries !== undefined;
  options.boundaries?.then(
    (boundaries) => {
      boundariesPending = false;
      // Ranges the first one has already covered are dropped; it stops at the next boundary.
      const covered = first.lastYielded;
      const remaining = [...new Set(boundaries ?? [])]
        .filter(
          (key) =>
            key.startsWith(prefix) && (covered === undefined || compareKeys(key, covered) > 0),
        )
        .sort(compareKeys);
      if (remaining.length === 0 || running === 0) return notify();
      first.end = remaining[0];
      remaining.forEach((from, index) => {
        const bound: RangeBound = { end: remaining[index + 1] };
        start(() => listRange(from, bound));
      });
      notify();
    },
    () => {
      boundariesPending = false;
      notify();
    },
  );

  try {
    for (;;) {
      if (failure) throw failure.error;
      const page = ready.shift();
      if (page) {
        roomWaiters.shift()?.();
        yield page;
        continue;
      }
      if (running === 0 && !boundariesPending) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    stop.abort();
    // Paused ranges wake, see the abort and end.
    for (const resume of roomWaiters.splice(0)) resume();
  }
}

/** Keys must ascend within a page and stay after where the range resumed. */
function assertOrdered(objects: readonly ObjectSummary[], after: string | undefined): void {
  let previous = after;
  for (const { key } of objects) {
    if (previous !== undefined && compareKeys(key, previous) <= 0) {
      throw new ListingOrderError(
        `the server listed ${JSON.stringify(key)} after ${JSON.stringify(previous)}: it does not list from StartAfter in key order`,
      );
    }
    previous = key;
  }
}

/**
 * Boundaries for the next listing, from the pages this one saw (in any order): cut points
 * every `CHECKPOINT_EVERY` keys, merged greedily into ranges of at most `RANGE_BUDGET` keys.
 * The budget leaves room in each 1000-key page, so a few new objects (the cache file itself,
 * a new release) do not spill a range onto a second page.
 */
export class RangeBoundaryCollector {
  private readonly checkpoints: { lastKey: string; count: number }[] = [];

  addPage(objects: readonly ObjectSummary[]): void {
    for (let start = 0; start < objects.length; start += CHECKPOINT_EVERY) {
      const chunk = objects.slice(start, start + CHECKPOINT_EVERY);
      this.checkpoints.push({ lastKey: chunk.at(-1)!.key, count: chunk.length });
    }
  }

  boundaries(): string[] {
    const sorted = [...this.checkpoints].sort((a, b) => compareKeys(a.lastKey, b.lastKey));
    const result: string[] = [];
    let inRange = 0;
    for (const [index, checkpoint] of sorted.entries()) {
      if (inRange + checkpoint.count > RANGE_BUDGET && index > 0) {
        result.push(sorted[index - 1]!.lastKey);
        inRange = 0;
      }
      inRange += checkpoint.count;
    }
    return result;
  }
}
