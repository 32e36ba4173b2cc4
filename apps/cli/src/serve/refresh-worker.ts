import { parentPort, workerData } from 'node:worker_threads';
import { messageOf } from '@deltaglider/sdk';
import { buildClient } from '../build-client.js';
import type { ServeArguments } from '../commands/serve.js';
import type { StatsTarget } from './stats-target.js';

// The exporter's refreshes run here, on a thread of their own: 100,000 HEADs keep an event
// loop busy (signing, parsing), and the thread that answers scrapes must not wait behind them.

export type WorkerRequest =
  | { readonly type: 'refresh'; readonly id: number; readonly target: StatsTarget }
  | { readonly type: 'abort'; readonly id: number };

export type WorkerReply =
  | {
      readonly type: 'done';
      readonly id: number;
      readonly result: unknown;
      readonly statistics: unknown;
    }
  | {
      readonly type: 'failed';
      readonly id: number;
      readonly message: string;
      readonly aborted: boolean;
    };

const { argv, env } = workerData as { argv: ServeArguments; env: Record<string, string> };
const client = buildClient(argv, { stdout: process.stdout, stderr: process.stderr, env });
const running = new Map<number, AbortController>();

parentPort?.on('message', async (request: WorkerRequest) => {
  if (request.type === 'abort') {
    running.get(request.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  const { target } = request;
  try {
    const result = await client.getBucketStats(target.bucket, {
      mode: target.mode,
      prefix: target.prefix,
      byDeltaspace: true,
      signal: controller.signal,
    });
    reply({ type: 'done', id: request.id, result, statistics: client.cacheStatistics() });
  } catch (error) {
    reply({
      type: 'failed',
      id: request.id,
      message: messageOf(error),
      aborted: controller.signal.aborted,
    });
  } finally {
    running.delete(request.id);
  }
});

function reply(message: WorkerReply): void {
  parentPort?.postMessage(message);
}
