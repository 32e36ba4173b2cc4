import pLimit from 'p-limit';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ObjectStore, ObjectSummary } from '../ports/object-store.js';
import { compareKeys } from '../store-support/compare-keys.js';
import { discoverBoundaries } from './discover-boundaries.js';
import { assumedEndOf, keyBetween, positionBetween } from './key-between.js';
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
  /**
   * List in parallel without boundaries (no earlier listing to learn them from): once the
   * listing proves longer than a few pages, cut it at directories found by delimiter listings
   * (`discoverBoundaries`), and whenever fewer than `concurrency` ranges run, split the range
   * that keeps filling pages at a key halfway to where it ends. Every page is then checked for
   * S3's key order.
   */
  readonly split?: boolean | undefined;
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

/**
 * A range is split only when it seems to hold at least this many more pages: each split costs
 * a part-filled page, and a range about to end frees its request for another anyway.
 */
const PAGES_LEFT_TO_SPLIT = 2;
/**
 * Full pages before a listing without boundaries looks for some: finding them takes two round
 * trips or more before the first extra range starts, which a short listing never earns back.
 */
const FULL_PAGES_BEFORE_DISCOVERY = 4;

/**
 * Where a listing's cut points stand. `awaited`: the cache's are on their way; `none`: there
 * are none (yet), so a long listing may discover some; `discovering`: it is; `known`: given or
 * discovered (or discovery failed), so ranges may now be split as they go.
 */
type CutPoints = 'awaited' | 'none' | 'discovering' | 'known';

interface RangeBound {
  /** The range's last key, inclusive; undefined while open-ended. May be tightened by a split. */
  end: string | undefined;
  /** The last key this range has handed out so far. */
  lastYielded?: string;
  /** The last key its latest page listed (kept or not), where a split's second half starts. */
  lastListed?: string;
  /** Where it started: keys strictly after this (the listing's prefix for the first). */
  start: string;
  /** Full pages listed since it started. */
  fullPages: number;
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
  lister.start(() => lister.listRange(undefined, lister.first));
  options.boundaries?.then(
    (boundaries = []) => {
      lister.cutPoints = boundaries.length > 0 ? 'known' : 'none';
      lister.splitAfterFirst(boundaries);
      // None known (a cache miss): a long listing finds its own.
      lister.discoverIfLong();
    },
    () => {
      lister.cutPoints = 'none';
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
      if (lister.running === 0 && !lister.awaitingCutPoints) return;
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
  cutPoints: CutPoints;
  /** Ranges listing now, for `split` to choose from. */
  private readonly active = new Set<RangeBound>();
  /** The range that starts the listing, at once, before any boundary is known. */
  readonly first: RangeBound;
  /** Where discovery expects the listing's keys to end (see `DiscoveredBoundaries`). */
  private lastDirectory: string | undefined;
  private wake: (() => void) | undefined;
  private readonly concurrency: number;
  private readonly limit;
  private readonly prefix: string;
  private readonly requests: PerRequestSignals;
  private readonly signal: AbortSignal;

  constructor(
    private readonly store: ObjectStore,
    private readonly bucket: string,
    private readonly options: ListInRangesOptions,
    signal: AbortSignal,
  ) {
    this.signal = signal;
    this.requests = new PerRequestSignals(signal);
    this.concurrency = options.concurrency ?? DEFAULT_LIST_CONCURRENCY;
    this.limit = pLimit(this.concurrency);
    this.prefix = options.prefix ?? '';
    this.first = { end: undefined, start: this.prefix, fullPages: 0 };
    this.cutPoints = options.boundaries === undefined ? 'none' : 'awaited';
  }

  /** The listing may not end yet, nor ranges split: cut points are on their way. */
  get awaitingCutPoints(): boolean {
    return this.cutPoints === 'awaited' || this.cutPoints === 'discovering';
  }

  /** Ranges rely on StartAfter, so on S3's key order: with boundaries, or split as they go. */
  private get ranged(): boolean {
    return this.options.boundaries !== undefined || this.options.split === true;
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
        this.splitWhileRoom();
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
  splitAfterFirst(boundaries: readonly string[]): void {
    const first = this.first;
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
      const bound: RangeBound = { end: remaining[index + 1], start: from, fullPages: 0 };
      this.start(() => this.listRange(from, bound));
    });
    this.notify();
  }

  /** Lists `(startAfter, end]`; `end` may be tightened while it runs (the first range). */
  async listRange(rangeStartAfter: string | undefined, bound: RangeBound): Promise<void> {
    this.active.add(bound);
    try {
      await this.listPages(rangeStartAfter, bound);
    } finally {
      this.active.delete(bound);
    }
  }

  private async listPages(rangeStartAfter: string | undefined, bound: RangeBound): Promise<void> {
    let cursor: string | undefined;
    let startAfter = rangeStartAfter;
    const skip = this.options.skip;
    for (;;) {
      while (this.ready.length >= MAX_READY_PAGES)
        await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
      const page = await this.listPage(startAfter, cursor);
      // Sequential paging is correct in any order; ranges need S3's, or keys count twice.
      if (this.ranged) assertOrdered(page.objects, bound.lastYielded ?? startAfter);
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
      if (lastListed !== undefined) bound.lastListed = lastListed;
      bound.fullPages++;
      if (bound === this.first) this.discoverIfLong();
      this.splitWhileRoom();
      if (skip && lastListed?.startsWith(skip.prefix)) {
        if (end !== undefined && compareKeys(skip.resumeAfter, end) >= 0) return;
        startAfter = skip.resumeAfter;
        cursor = undefined;
        continue;
      }
      cursor = page.nextCursor;
    }
  }

  /**
   * A listing without boundaries whose first range is still going after a few pages: find some
   * in the `/` tree (about one range per request in flight), then split the first range.
   */
  discoverIfLong(): void {
    if (
      !this.options.split ||
      this.cutPoints !== 'none' ||
      this.first.fullPages < FULL_PAGES_BEFORE_DISCOVERY ||
      !this.active.has(this.first)
    )
      return;
    this.cutPoints = 'discovering';
    discoverBoundaries(this.store, this.bucket, {
      prefix: this.prefix,
      signal: this.signal,
      limit: (task) => this.limit(task),
      ranges: this.concurrency,
    }).then(
      ({ boundaries, lastDirectory }) => {
        this.cutPoints = 'known';
        this.lastDirectory = lastDirectory;
        this.splitAfterFirst(boundaries);
        this.splitWhileRoom();
      },
      () => {
        // Without them the listing still splits as it goes (a server that ignores delimiters).
        this.cutPoints = 'known';
        this.splitWhileRoom();
        this.notify();
      },
    );
  }

  /**
   * While fewer ranges run than may, the range that seems to hold the most pages still (where
   * its last key sits between its start and end, against the pages it has filled) hands the
   * second half of what it has left (from halfway to its end) to a new range.
   */
  splitWhileRoom(): void {
    if (!this.options.split || this.cutPoints !== 'known' || this.failure) return;
    const tried = new Set<RangeBound>();
    while (this.running < this.concurrency) {
      let best: { range: RangeBound; from: string; to: string; pagesLeft: number } | undefined;
      for (const range of this.active) {
        const from = range.lastListed;
        if (tried.has(range) || from === undefined) continue;
        const to = range.end ?? this.assumedEnd(from);
        const done = positionBetween(range.start, from, to);
        const pagesLeft = done > 0 ? (range.fullPages * (1 - done)) / done : Infinity;
        if (pagesLeft >= PAGES_LEFT_TO_SPLIT && pagesLeft > (best?.pagesLeft ?? 0))
          best = { range, from, to, pagesLeft };
      }
      if (!best) return;
      const { range, from, to } = best;
      tried.add(range);
      const middle = keyBetween(from, to);
      if (middle === undefined) continue;
      const rest: RangeBound = { end: range.end, start: middle, fullPages: 0 };
      range.end = middle;
      this.start(() => this.listRange(middle, rest));
    }
  }

  /** Where an open-ended range is assumed to end, for splitting it: see `lastDirectory`. */
  private assumedEnd(lastListed: string): string {
    if (this.lastDirectory !== undefined) {
      const end = assumedEndOf(this.lastDirectory);
      if (compareKeys(lastListed, end) < 0) return end;
    }
    return assumedEndOf(this.prefix);
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
