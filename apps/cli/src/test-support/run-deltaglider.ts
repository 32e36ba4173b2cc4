import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface CliRun {
  readonly code: number | null;
  /** The signal that ended it, when one did (its code is then null). */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** Runs the built `deltaglider` binary as a user would, without blocking this process. */
export function runDeltaglider(
  args: readonly string[],
  env: Record<string, string> = {},
  stdin?: string | Uint8Array,
): Promise<CliRun> {
  const { child, finished } = startDeltaglider(args, env, stdin !== undefined);
  if (stdin !== undefined) child.stdin?.end(stdin);
  return finished;
}

/** Starts `deltaglider` and hands over the process, for tests that send it signals. */
export function startDeltaglider(
  args: readonly string[],
  env: Record<string, string> = {},
  withStdin = false,
): { child: ChildProcess; finished: Promise<CliRun> } {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const finished = new Promise<CliRun>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, finished };
}
