import { parentPort, workerData } from 'node:worker_threads';
import {
  type ClientOptions,
  createClient,
  DeltaGliderError,
  type GetBucketStatsOptions,
  type InventoryStatsRequest,
  messageOf,
  type StatsMode,
  type StatsProgress,
} from '@deltaglider/sdk';
import { stderrLoggerFor } from '../build-client.js';
import { SERVE_LOG_OPTIONS } from '../stderr-logger.js';
import { loadStoreModules } from '../store-modules.js';

// The exporter's only S3 client lives here, on a thread of its own: 100,000 HEADs keep an event
// loop busy (signing, parsing), and the thread that answers scrapes must not wait behind them.
// `stats --inventory` reads its report here too, in a heap of capped size (see stats-inventory.ts).

/** Stats options that cross the thread boundary (the signal stays behind: see `abort`). */
export type WireStatsOptions = Omit<GetBucketStatsOptions, 'signal' | 'onProgress'>;

export type WorkerRequest =
  | {
      readonly type: 'stats';
      readonly id: number;
      readonly bucket: string;
      readonly options: WireStatsOptions;
    }
  | {
      readonly type: 'cached';
      readonly id: number;
      readonly bucket: string;
      readonly options: { readonly mode: StatsMode; readonly prefix?: string | undefined };
    }
  | {
      readonly type: 'inventory';
      readonly id: number;
      readonly bucket: string;
      readonly options: Omit<InventoryStatsRequest, 'signal' | 'onProgress'>;
      /** Whether to post the read's progress. */
      readonly progress: boolean;
    }
  | { readonly type: 'report'; readonly id: number; readonly inventory: string }
  | { readonly type: 'history'; readonly id: number; readonly bucket: string }
  | { readonly type: 'abort'; readonly id: number };

export type WorkerReply =
  | {
      readonly type: 'done';
      readonly id: number;
      readonly value: unknown;
      /** The client's cache statistics after this call. */
      readonly statistics: unknown;
    }
  | {
      readonly type: 'failed';
      readonly id: number;
      readonly message: string;
      readonly aborted: boolean;
      /** The call asked for something impossible (a usage error, exit 2). */
      readonly usage: boolean;
    }
  | { readonly type: 'progress'; readonly id: number; readonly update: StatsProgress }
  | { readonly type: 'log'; readonly text: string };

// The options were checked, and warned about, on the main thread (`clientOptionsFrom`).
const { options, env, command } = workerData as {
  options: ClientOptions;
  env: Record<string, string>;
  command: boolean;
};
// A store adapter the main thread loaded must be registered here too (each thread has its own).
await loadStoreModules(env);
const client = createClient({
  ...options,
  logger: stderrLoggerFor(
    // A command's log lines go back with its answer, in order, to be written by its thread.
    {
      stdout: process.stdout,
      stderr: command
        ? { write: (text) => reply({ type: 'log', text: String(text) }) }
        : process.stderr,
      env,
    },
    command ? {} : SERVE_LOG_OPTIONS,
  ),
});
const running = new Map<number, AbortController>();

parentPort?.on('message', async (request: WorkerRequest) => {
  if (request.type === 'abort') {
    running.get(request.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  const signal = controller.signal;
  try {
    const value = await answer(request, signal);
    reply({ type: 'done', id: request.id, value, statistics: client.cacheStatistics() });
  } catch (error) {
    reply({
      type: 'failed',
      id: request.id,
      message: messageOf(error),
      aborted: signal.aborted,
      usage: DeltaGliderError.isInstance(error) && error.usage,
    });
  } finally {
    running.delete(request.id);
  }
});

function answer(
  request: Exclude<WorkerRequest, { type: 'abort' }>,
  signal: AbortSignal,
): Promise<unknown> {
  if (request.type === 'stats')
    return client.getBucketStats(request.bucket, { ...request.options, signal });
  if (request.type === 'cached')
    return client.cachedStats(request.bucket, { ...request.options, signal });
  if (request.type === 'report') return client.inventoryReport(request.inventory, { signal });
  if (request.type === 'history') return client.getStatsHistory(request.bucket, { signal });
  const onProgress = request.progress
    ? (update: StatsProgress) => reply({ type: 'progress', id: request.id, update })
    : undefined;
  return client.getInventoryStats(request.bucket, { ...request.options, signal, onProgress });
}

function reply(message: WorkerReply): void {
  parentPort?.postMessage(message);
}
