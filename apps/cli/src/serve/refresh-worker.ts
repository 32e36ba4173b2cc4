import { parentPort, workerData } from 'node:worker_threads';
import {
  type ClientOptions,
  createClient,
  type GetBucketStatsOptions,
  messageOf,
  type StatsMode,
} from '@deltaglider/sdk';
import { stderrLoggerFor } from '../build-client.js';
import { SERVE_LOG_OPTIONS } from '../stderr-logger.js';
import { loadStoreModules } from '../store-modules.js';

// The exporter's only S3 client lives here, on a thread of its own: 100,000 HEADs keep an event
// loop busy (signing, parsing), and the thread that answers scrapes must not wait behind them.

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
    };

// The options were checked, and warned about, on the main thread (`clientOptionsFrom`).
const { options, env } = workerData as { options: ClientOptions; env: Record<string, string> };
// A store adapter the main thread loaded must be registered here too (each thread has its own).
await loadStoreModules(env);
const client = createClient({
  ...options,
  logger: stderrLoggerFor(
    { stdout: process.stdout, stderr: process.stderr, env },
    SERVE_LOG_OPTIONS,
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
    const value =
      request.type === 'stats'
        ? await client.getBucketStats(request.bucket, { ...request.options, signal })
        : await client.cachedStats(request.bucket, { ...request.options, signal });
    reply({ type: 'done', id: request.id, value, statistics: client.cacheStatistics() });
  } catch (error) {
    reply({ type: 'failed', id: request.id, message: messageOf(error), aborted: signal.aborted });
  } finally {
    running.delete(request.id);
  }
});

function reply(message: WorkerReply): void {
  parentPort?.postMessage(message);
}
