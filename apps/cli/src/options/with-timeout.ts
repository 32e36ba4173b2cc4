import type { Argv } from 'yargs';
import type { CliIo } from '../cli-io.js';
import { checkNumberFlag } from './check-number-flag.js';

export interface TimeoutArguments {
  readonly timeout?: number | undefined;
}

/** `--timeout SECONDS`, for commands that should give up instead of waiting on a silent server. */
export function withTimeout<T>(
  yargs: Argv<T>,
  describe = 'Give up after this many seconds (a partial download or upload leaves nothing)',
): Argv<T & TimeoutArguments> {
  return yargs.option('timeout', { type: 'number', describe }) as Argv<T & TimeoutArguments>;
}

/** What a command's requests listen to: Ctrl-C (the process signal) and `--timeout`. */
export interface CommandSignal {
  readonly signal: AbortSignal | undefined;
  /** Whether `--timeout` (not Ctrl-C) ended the command. */
  timedOut(): boolean;
}

export function commandSignal(argv: TimeoutArguments, io: CliIo): CommandSignal {
  const { timeout } = argv;
  checkNumberFlag('timeout', timeout, 'positive');
  const deadline = timeout === undefined ? undefined : AbortSignal.timeout(timeout * 1000);
  const signals = [io.signal, deadline].filter((signal): signal is AbortSignal => !!signal);
  return {
    signal: signals.length === 0 ? undefined : AbortSignal.any(signals),
    timedOut: () => deadline?.aborted === true && io.signal?.aborted !== true,
  };
}

/** Runs a command's work; when `--timeout` ends it, one line says so and what was under way. */
export async function withDeadline<T>(
  argv: TimeoutArguments,
  signal: CommandSignal,
  doing: () => string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!signal.timedOut()) throw error;
    throw new Error(`timed out after ${argv.timeout} s ${doing()}`);
  }
}
