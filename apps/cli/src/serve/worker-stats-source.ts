import { type ResourceLimits, Worker } from 'node:worker_threads';
import type { StatsSource } from '@deltaglider/exporter';
import {
  type BucketStatsResult,
  type CachedStats,
  type CacheStatistics,
  type ClientOptions,
  type GetBucketStatsOptions,
  InvalidArgumentError,
  type InventoryStats,
  type InventoryStatsRequest,
  type StatsHistoryResult,
  type StatsMode,
  type StatsProgress,
} from '@deltaglider/sdk';
import type { WorkerReply, WorkerRequest } from './refresh-worker.js';

/** What the worker's client reports before its first call. */
const noStatistics: CacheStatistics = {
  hits: 0,
  misses: 0,
  stale: 0,
  refreshed: 0,
  errors: 0,
  latest: [],
};

type Request = Exclude<WorkerRequest, { type: 'abort' }>;

/**
 * A `StatsSource` whose every S3 request runs on a worker thread with the one client (built
 * there from the same flags and environment), so this thread stays free to answer scrapes.
 */
export class WorkerStatsSource implements StatsSource {
  /** The running worker; a new one is started for the next call if it dies. */
  private worker: Worker | undefined;
  private stopping = false;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private statistics = noStatistics;
  private readonly workerData: unknown;
  private readonly progress = new Map<number, (update: StatsProgress) => void>();

  private readonly resourceLimits: ResourceLimits | undefined;

  /**
   * `options` from `clientOptionsFrom` (plain data); `env` for the worker's log level.
   * `thread.resourceLimits` caps the worker's heap (V8 then collects garbage sooner);
   * `thread.command`: log as a command does (no timestamps), through `stderr` on this thread.
   */
  constructor(
    options: ClientOptions,
    env: Readonly<Record<string, string | undefined>>,
    thread: {
      readonly resourceLimits?: ResourceLimits;
      readonly command?: { readonly stderr: { write(text: string): unknown } };
    } = {},
  ) {
    this.workerData = { options, env: { ...env }, command: thread.command !== undefined };
    this.resourceLimits = thread.resourceLimits;
    this.commandStderr = thread.command?.stderr;
  }

  private readonly commandStderr: { write(text: string): unknown } | undefined;

  getBucketStats(bucket: string, options: GetBucketStatsOptions = {}): Promise<BucketStatsResult> {
    const { signal, onProgress: _local, ...wire } = options;
    return this.call({ type: 'stats', id: this.nextId++, bucket, options: wire }, signal);
  }

  cachedStats(
    bucket: string,
    options: { mode: StatsMode; prefix?: string | undefined; signal?: AbortSignal | undefined },
  ): Promise<CachedStats | undefined> {
    const { signal, ...wire } = options;
    return this.call({ type: 'cached', id: this.nextId++, bucket, options: wire }, signal);
  }

  /** An S3 Inventory read, on the worker; progress is posted back when asked for. */
  getInventoryStats(bucket: string, request: InventoryStatsRequest): Promise<InventoryStats> {
    const { signal, onProgress, ...wire } = request;
    const id = this.nextId++;
    if (onProgress) this.progress.set(id, onProgress);
    return this.call<InventoryStats>(
      { type: 'inventory', id, bucket, options: wire, progress: onProgress !== undefined },
      signal,
    ).finally(() => this.progress.delete(id));
  }

  /** The latest report of an inventory, listed on the worker. */
  inventoryReport(
    inventory: string,
    options: { signal?: AbortSignal | undefined } = {},
  ): Promise<string | undefined> {
    return this.call({ type: 'report', id: this.nextId++, inventory }, options.signal);
  }

  /** A bucket's daily history, read on the worker. */
  getStatsHistory(
    bucket: string,
    options: { signal?: AbortSignal | undefined } = {},
  ): Promise<StatsHistoryResult> {
    return this.call({ type: 'history', id: this.nextId++, bucket }, options.signal);
  }

  cacheStatistics(): CacheStatistics {
    return this.statistics;
  }

  async terminate(): Promise<void> {
    this.stopping = true;
    await this.worker?.terminate();
  }

  private call<T>(request: Request, signal: AbortSignal | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(request.id, { resolve: resolve as (value: unknown) => void, reject });
      signal?.addEventListener(
        'abort',
        () => this.worker?.postMessage({ type: 'abort', id: request.id }),
        { once: true },
      );
      this.worker ??= this.start();
      this.worker.postMessage(request);
    });
  }

  private start(): Worker {
    const worker = new Worker(new URL('./refresh-worker.js', import.meta.url), {
      workerData: this.workerData,
      ...(this.resourceLimits ? { resourceLimits: this.resourceLimits } : {}),
    });
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    // A worker that dies fails the calls it held (refreshes back off and retry on a new one).
    const died = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    worker.on('error', died);
    worker.on('exit', (code) => {
      if (!this.stopping) died(new Error(`the refresh worker stopped (exit code ${code})`));
    });
    return worker;
  }

  private settle(reply: WorkerReply): void {
    if (reply.type === 'log') {
      this.commandStderr?.write(reply.text);
      return;
    }
    if (reply.type === 'progress') {
      this.progress.get(reply.id)?.(reply.update);
      return;
    }
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.type === 'done') {
      this.statistics = reply.statistics as CacheStatistics;
      waiting.resolve(reply.value);
    } else {
      // A usage error stays one (exit 2); the rest are runtime errors, as in this thread.
      const error = reply.usage
        ? new InvalidArgumentError(reply.message)
        : new Error(reply.message);
      // As an aborted call rejects in the same thread: recognisable by isAbortError.
      if (reply.aborted) error.name = 'AbortError';
      waiting.reject(error);
    }
  }
}
