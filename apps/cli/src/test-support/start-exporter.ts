import type { ChildProcess } from 'node:child_process';
import { type CliRun, startDeltaglider } from './run-deltaglider.js';

export interface RunningExporter {
  readonly url: string;
  readonly child: ChildProcess;
  readonly finished: Promise<CliRun>;
  get(path: string, init?: RequestInit): Promise<Response>;
  /** SIGTERM, then the run as it ended. */
  stop(): Promise<CliRun>;
}

/** Starts `deltaglider serve` on a free port and resolves once it says where it listens. */
export async function startExporter(
  args: readonly string[],
  env: Record<string, string>,
): Promise<RunningExporter> {
  const { child, finished } = startDeltaglider(['serve', '--listen', '127.0.0.1:0', ...args], env);
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/[\d.:]+)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    finished.then(
      (run) => reject(new Error(`deltaglider serve exited ${run.code}: ${run.stderr}`)),
      reject,
    );
  });
  return {
    url,
    child,
    finished,
    get: (path, init) => fetch(`${url}${path}`, init),
    stop: () => {
      child.kill('SIGTERM');
      return finished;
    },
  };
}
