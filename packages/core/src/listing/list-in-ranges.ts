import pLimit from 'p-limit';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ObjectStore, ObjectSummary } from '../ports/object-store.js';
import { compareKeys } from '../store-support/compare-keys.js';
import { ListingOrderError } from './listing-order-error.js';
import { PerRequestSignals } from './per-request-signals.js';

export interface ListInRangesOptions {
  readonly prefix?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * Keys that split the listing into ranges of about one page each, known from an earlier
   * listing (the stats cache keeps them). Resolving `undefined` or `[]` lists sequentially.
   * The first range starts at once; the others as soon as this resolves. With boundaries,
   * every page is checked for S3's key order: `ListingOrderError` when a server breaks it.
   */
  readonly boundaries?: Promise<readonly string[] | undefined> | undefined;
  /** LIST requests in flight at once. Default 16. */
  readonly concurrency?: number | undefined;
  /**
   * A namespace the listing leaves out: its keys are dropped, and a page that ends inside it
   * resumes after `resumeAfter` instead of paging through it (the proxy's listing facts, one
   * per delta, would otherwise double the pages of a bucket's listing).
   */
  readonly skip?: { readonly prefix: string; readonly resumeAfter: string } | undefined;
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
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const lister = new RangeLister(store, bucket, options, signal);
  const first: RangeBound = { end: undefined };
  lister.start(() => lister.listRange(undefined, first));
  let boundariesPending = options.boundaries !== undefined;
  options.boundaries?.then(
    (boundaries) => {
      boundariesPending = false;
      lister.splitAfterFirst(first, boundaries ?? []);
    },
    () => {
      boundariesPending = false;
      lister.notify();
    },
  );
  try {
    for (;;) {
      if (lister.failure) throw lister.failure.error;
      const page = lister.ready.shift();
      if (page) {
        lister.roomWaiters.shift()?.();
        yield page;
        continue;
      }
      if (lister.running === 0 && !boundariesPending) return;
      await lister.nextEvent();
    }
  } finally {
    stop.abort();
    // Paused ranges wake, see the abort and end.
    for (const resume of lister.roomWaiters.splice(0)) resume();
  }
}

/** The ranges of one listing in flight: their pages, their failures, and who waits on them. */
class RangeLister {
  readonly ready: (readonly ObjectSummary[])[] = [];
  /** Ranges pause while this many pages wait for the consumer, so memory stays bounded. */
  readonly roomWaiters: (() => void)[] = [];
  failure: { error: unknown } | undefined;
  running = 0;
  private wake: (() => void) | undefined;
  private readonly limit;
  private readonly prefix: string;
  private readonly requests: PerRequestSignals;

  constructor(
    private readonly store: ObjectStore,
    private readonly bucket: string,
    private readonly options: ListInRangesOptions,
    signal: AbortSignal,
  ) {
    this.requests = new PerRequestSignals(signal);
    this.limit = pLimit(options.concurrency ?? DEFAULT_LIST_CONCURRENCY);
    this.prefix = options.prefix ?? '';
  }

  notify(): void {
    this.wake?.();
    this.wake = undefined;
  }

  /** Resolves at the next page, range end or failure. */
  nextEvent(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  start(task: () => Promise<void>): void {
    this.running++;
    this.limit(task).then(
      () => {
        this.running--;
        this.notify();
      },
      (error: unknown) => {
        this.running--;
        this.failure ??= { error };
        this.notify();
      },
    );
  }

  /** Once boundaries are known: the first range stops at the next one, the rest start. */
  splitAfterFirst(first: RangeBound, boundaries: readonly string[]): void {
    // Ranges the first one has already covered are dropped.
    const covered = first.lastYielded;
    const remaining = [...new Set(boundaries)]
      .filter(
        (key) =>
          key.startsWith(this.prefix) && (covered === undefined || compareKeys(key, covered) > 0),
      )
      .sort(compareKeys);
    if (remaining.length === 0 || this.running === 0) {
      this.notify();
      return;
    }
    first.end = remaining[0];
    remaining.forEach((from, index) => {
      const bound: RangeBound = { end: remaining[index + 1] };
      this.start(() => this.listRange(from, bound));
    });
    this.notify();
  }

  /** Lists `(startAfter, end]`; `end` may be tightened while it runs (the first range). */
  async listRange(rangeStartAfter: string | undefined, bound: RangeBound): Promise<void> {
    let cursor: string | undefined;
    let startAfter = rangeStartAfter;
    const skip = this.options.skip;
    for (;;) {
      while (this.ready.length >= MAX_READY_PAGES)
        await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
      const page = await this.listPage(startAfter, cursor);
      // Sequential paging is correct in any order; ranges need S3's, or keys count twice.
      if (this.options.boundaries !== undefined)
        assertOrdered(page.objects, bound.lastYielded ?? startAfter);
      const end = bound.end;
      const objects = page.objects.filter(
        (o) =>
          (end === undefined || compareKeys(o.key, end) <= 0) &&
          !(skip && o.key.startsWith(skip.prefix)),
      );
      if (objects.length > 0) {
        this.ready.push(objects);
        bound.lastYielded = objects.at(-1)!.key;
        this.notify();
      }
      const lastListed = page.objects.at(-1)?.key;
      const passedEnd =
        end !== undefined && lastListed !== undefined && compareKeys(lastListed, end) > 0;
      const reachedEnd =
        end !== undefined && objects.length > 0 && compareKeys(objects.at(-1)!.key, end) >= 0;
      if (passedEnd || reachedEnd || page.nextCursor === undefined) return;
      if (skip && lastListed?.startsWith(skip.prefix)) {
        if (end !== undefined && compareKeys(skip.resumeAfter, end) >= 0) return;
        startAfter = skip.resumeAfter;
        cursor = undefined;
        continue;
      }
      cursor = page.nextCursor;
    }
  }

  private async listPage(startAfter: string | undefined, cursor: string | undefined) {
    const resumesFromStart = cursor === undefined && startAfter !== undefined;
    try {
      const position =
        cursor !== undefined ? { cursor } : startAfter !== undefined ? { startAfter } : {};
      return await this.requests.run((signal) =>
        this.store.list(this.bucket, { prefix: this.prefix, signal, ...position }),
      );
    } catch (error) {
      // S3 Express One Zone directory buckets refuse StartAfter outright.
      if (resumesFromStart && InvalidArgumentError.isInstance(error))
        throw new ListingOrderError(`the server refused StartAfter (${error.message})`);
      throw error;
    }
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
