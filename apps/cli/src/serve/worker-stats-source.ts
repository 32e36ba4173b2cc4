import { Worker } from 'node:worker_threads';
import type {
  BucketStatsResult,
  CacheStatistics,
  DeltaGliderClient,
  GetBucketStatsOptions,
} from '@deltaglider/sdk';
import type { ServeArguments } from '../commands/serve.js';
import type { WorkerReply, WorkerRequest } from './refresh-worker.js';
import type { StatsSource } from './stats-source.js';

const emptyStatistics: CacheStatistics = {
  hits: 0,
  misses: 0,
  stale: 0,
  refreshed: 0,
  errors: 0,
  latest: [],
};

/**
 * A `StatsSource` whose `getBucketStats` runs on a worker thread (its own client, built from the
 * same flags and environment), so the main thread stays free to answer scrapes at once. Cache
 * reads for first numbers stay on the main thread: one GET each.
 */
export class WorkerStatsSource implements StatsSource {
  /** The running worker; a new one is started for the next refresh if it dies. */
  private worker: Worker | undefined;
  private stopping = false;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (result: BucketStatsResult) => void; reject: (error: Error) => void }
  >();
  private statistics: CacheStatistics = emptyStatistics;

  private readonly workerData: unknown;

  constructor(
    private readonly local: DeltaGliderClient,
    argv: ServeArguments,
    env: Readonly<Record<string, string | undefined>>,
  ) {
    this.workerData = { argv: plain(argv), env: plain(env) };
    this.worker = this.start();
  }

  private start(): Worker {
    const worker = new Worker(new URL('./refresh-worker.js', import.meta.url), {
      workerData: this.workerData,
    });
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    // A worker that dies fails the refreshes it held (they back off and retry on a new one).
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

  getBucketStats(bucket: string, options: GetBucketStatsOptions = {}): Promise<BucketStatsResult> {
    const id = this.nextId++;
    const target = { bucket, prefix: options.prefix ?? '', mode: options.mode ?? 'quick' };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const signal = options.signal;
      signal?.addEventListener('abort', () => this.worker?.postMessage({ type: 'abort', id }), {
        once: true,
      });
      this.send({ type: 'refresh', id, target });
    });
  }

  cachedStats: DeltaGliderClient['cachedStats'] = (bucket, options) =>
    this.local.cachedStats(bucket, options);

  cacheStatistics(): CacheStatistics {
    return this.statistics;
  }

  async terminate(): Promise<void> {
    this.stopping = true;
    await this.worker?.terminate();
  }

  private send(request: WorkerRequest): void {
    this.worker ??= this.start();
    this.worker.postMessage(request);
  }

  private settle(reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.type === 'done') {
      this.statistics = reply.statistics as CacheStatistics;
      waiting.resolve(reply.result as BucketStatsResult);
    } else {
      const error = new Error(reply.message);
      // As an aborted stats call rejects in the same thread: recognisable by isAbortError.
      if (reply.aborted) error.name = 'AbortError';
      waiting.reject(error);
    }
  }
}

/** Only plain data crosses to the worker (yargs' argv also holds functions and symbols). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
