import {
  type BucketStats,
  type BucketStatsResult,
  isAbortError,
  type Logger,
  messageOf,
  type StatsHistoryResult,
} from '@deltaglider/sdk';
import type { StatsSource } from './stats-source.js';
import { type StatsTarget, targetKey } from './stats-target.js';

/** The numbers an exporter shows for a target, and where they came from. */
export interface TargetView {
  readonly target: StatsTarget;
  /** The latest numbers: from this process's last refresh, else the bucket's cache as it was. */
  readonly stats: BucketStats | undefined;
  readonly source: 'refresh' | 'bucket cache' | 'none';
  /** When those numbers were computed (ISO 8601), and their age now. */
  readonly computedAt: string | undefined;
  readonly ageSeconds: number | undefined;
  readonly refreshing: boolean;
  readonly lastRefresh: RefreshOutcome | undefined;
  readonly refreshes: { readonly succeeded: number; readonly failed: number };
  /** Failed refreshes in a row: each waits twice as long as the one before, up to a cap. */
  readonly consecutiveFailures: number;
  /** A whole bucket's daily history, read after each refresh that computed new numbers. */
  readonly history: StatsHistoryResult | undefined;
}

export interface RefreshOutcome {
  readonly ok: boolean;
  /** When it ended (ISO 8601). */
  readonly at: string;
  readonly durationSeconds: number;
  readonly error?: string;
}

export interface RefresherOptions {
  /** Seconds between refreshes of a target once it succeeded. */
  readonly intervalSeconds: number;
  /** Refreshes running at once, across every target. */
  readonly concurrency: number;
  readonly logger: Logger;
  /** Milliseconds since some fixed point, for durations and schedules (tests pass their own). */
  readonly now?: () => number;
}

/** The first retry after a failure waits this long, doubling with each failure after it. */
const FIRST_RETRY_SECONDS = 5;

interface TargetState {
  readonly target: StatsTarget;
  stats: BucketStats | undefined;
  source: TargetView['source'];
  computedAtMs: number | undefined;
  refreshing: Promise<void> | undefined;
  queued: boolean;
  nextDueMs: number;
  lastRefresh: RefreshOutcome | undefined;
  succeeded: number;
  failed: number;
  consecutiveFailures: number;
  /** The failure last logged: the same one again, refresh after refresh, is not logged again. */
  loggedFailure: string | undefined;
  /** Inventory targets: the report the stats were read from. */
  report: string | undefined;
  history: StatsHistoryResult | undefined;
}

/**
 * Keeps every target's stats fresh in the background and answers from what it has, never
 * waiting (stale while revalidate): one refresh per target at a time (single flight), at most
 * `concurrency` across targets, every `intervalSeconds` after a success and sooner, backing
 * off, after a failure. Until a target's first refresh ends, the bucket's own cache stands in.
 */
export class StatsRefresher {
  private readonly states = new Map<string, TargetState>();
  private readonly controller = new AbortController();
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(
    private readonly client: StatsSource,
    private readonly options: RefresherOptions,
  ) {
    this.now = options.now ?? (() => Date.now());
  }

  /** Watches a target (again: no-op); its first refresh is due at once. */
  watch(target: StatsTarget): void {
    const key = targetKey(target);
    if (this.states.has(key)) return;
    this.states.set(key, {
      target,
      stats: undefined,
      source: 'none',
      computedAtMs: undefined,
      refreshing: undefined,
      queued: false,
      nextDueMs: this.now(),
      lastRefresh: undefined,
      succeeded: 0,
      failed: 0,
      consecutiveFailures: 0,
      loggedFailure: undefined,
      report: undefined,
      history: undefined,
    });
  }

  /**
   * Reads a target's in-bucket cache (one GET) to show until its first refresh ends; a target
   * with numbers already keeps them.
   */
  async primeFromBucketCache(target: StatsTarget): Promise<void> {
    const state = this.states.get(targetKey(target));
    // An inventory target has no cache: its first refresh reads the report.
    if (!state || state.stats || target.inventory !== undefined) return;
    try {
      const cached = await this.client.cachedStats(target.bucket, {
        mode: target.mode,
        prefix: target.prefix,
        signal: this.controller.signal,
      });
      if (cached && !state.stats) {
        state.stats = cached.stats;
        state.source = 'bucket cache';
        state.computedAtMs = Date.parse(cached.computedAt);
      }
    } catch (error) {
      if (!isAbortError(error))
        this.options.logger.warn(
          `${describeTarget(target)}: could not read its cache: ${messageOf(error)}`,
        );
    }
  }

  /** Starts the schedule: due targets are refreshed, checked every `tickMs`. */
  start(tickMs = 1_000): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  /** Stops the schedule and aborts refreshes in flight (nothing half-written: an aborted stats call caches nothing). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.controller.abort();
    await Promise.all([...this.states.values()].map((state) => state.refreshing));
  }

  /** Starts the refreshes that are due, as far as the concurrency allows. */
  tick(): void {
    if (this.controller.signal.aborted) return;
    const due = [...this.states.values()]
      .filter((state) => !state.refreshing && state.nextDueMs <= this.now())
      .sort((a, b) => a.nextDueMs - b.nextDueMs);
    for (const state of due) {
      if (this.running >= this.options.concurrency) break;
      this.refresh(state);
    }
  }

  view(target: StatsTarget): TargetView | undefined {
    const state = this.states.get(targetKey(target));
    return state && this.viewOf(state);
  }

  views(): TargetView[] {
    return [...this.states.values()].map((state) => this.viewOf(state));
  }

  /** The running refresh of a target, if any (for tests and shutdown). */
  refreshing(target: StatsTarget): Promise<void> | undefined {
    return this.states.get(targetKey(target))?.refreshing;
  }

  private refresh(state: TargetState): void {
    this.running++;
    const started = this.now();
    const { target } = state;
    state.refreshing = this.statsOf(state)
      .then(
        (result) => {
          if (result) {
            state.stats = result;
            state.source = 'refresh';
            state.computedAtMs = Date.parse(result.cache.computedAt);
          }
          state.succeeded++;
          if (state.loggedFailure !== undefined)
            this.options.logger.info(
              `${describeTarget(target)}: refreshed again after ${state.consecutiveFailures} failed refreshes`,
            );
          state.loggedFailure = undefined;
          state.consecutiveFailures = 0;
          state.lastRefresh = this.outcome(started, true);
          state.nextDueMs = this.now() + this.options.intervalSeconds * 1000;
        },
        (error: unknown) => {
          if (this.controller.signal.aborted && isAbortError(error)) return;
          state.failed++;
          state.consecutiveFailures++;
          const message = messageOf(error);
          state.lastRefresh = { ...this.outcome(started, false), error: message };
          const delay = Math.min(
            FIRST_RETRY_SECONDS * 2 ** (state.consecutiveFailures - 1),
            Math.max(this.options.intervalSeconds, 300),
          );
          state.nextDueMs = this.now() + delay * 1000;
          // Once per change: a bucket that stays unreachable says so once, not every retry.
          if (message !== state.loggedFailure)
            this.options.logger.warn(
              `${describeTarget(target)}: refresh failed, retrying with back-off (the next in ${delay} s) until it succeeds; this is logged again only if the error changes: ${message}`,
            );
          state.loggedFailure = message;
        },
      )
      .finally(() => {
        this.running--;
        state.refreshing = undefined;
        this.tick();
      });
  }

  /**
   * A target's stats, computed (or validated against a listing) again; for an inventory
   * target, read again only when a newer report than the one shown has appeared (undefined
   * when none has: one listing of its report folders).
   */
  private async statsOf(state: TargetState): Promise<BucketStatsResult | undefined> {
    const { target } = state;
    const signal = this.controller.signal;
    if (target.inventory === undefined) {
      const result = await this.client.getBucketStats(target.bucket, {
        mode: target.mode,
        prefix: target.prefix,
        byDeltaspace: true,
        signal,
      });
      await this.readHistory(state, result);
      return result;
    }
    const { getInventoryStats, inventoryReport } = this.client;
    if (!getInventoryStats || !inventoryReport)
      throw new Error('this stats source reads no S3 Inventory (getInventoryStats)');
    const latest = await inventoryReport.call(this.client, target.inventory, { signal });
    if (latest !== undefined && latest === state.report) return undefined;
    const result = await getInventoryStats.call(this.client, target.bucket, {
      inventory: target.inventory,
      prefix: target.prefix,
      byDeltaspace: true,
      signal,
    });
    state.report = result.inventory.report;
    return result;
  }

  /**
   * A whole bucket's history, after a refresh that recorded a day (or before any was read):
   * one GET. Trouble keeps the history last read; it never fails the refresh.
   */
  private async readHistory(state: TargetState, result: BucketStatsResult): Promise<void> {
    const { getStatsHistory } = this.client;
    if (!getStatsHistory || (state.target.prefix ?? '') !== '') return;
    if (state.history && result.cache.status === 'hit') return;
    try {
      state.history = await getStatsHistory.call(this.client, state.target.bucket, {
        signal: this.controller.signal,
      });
    } catch (error) {
      if (isAbortError(error)) throw error;
    }
  }

  private outcome(startedMs: number, ok: boolean): RefreshOutcome {
    return {
      ok,
      at: new Date().toISOString(),
      durationSeconds: (this.now() - startedMs) / 1000,
    };
  }

  private viewOf(state: TargetState): TargetView {
    return {
      target: state.target,
      stats: state.stats,
      source: state.source,
      computedAt:
        state.computedAtMs === undefined ? undefined : new Date(state.computedAtMs).toISOString(),
      ageSeconds:
        state.computedAtMs === undefined
          ? undefined
          : Math.max(0, (Date.now() - state.computedAtMs) / 1000),
      refreshing: state.refreshing !== undefined,
      lastRefresh: state.lastRefresh,
      refreshes: { succeeded: state.succeeded, failed: state.failed },
      consecutiveFailures: state.consecutiveFailures,
      history: state.history,
    };
  }
}

export function describeTarget(target: StatsTarget): string {
  const from = target.inventory === undefined ? target.mode : `inventory ${target.inventory}`;
  return `s3://${target.bucket}/${target.prefix} (${from})`;
}
