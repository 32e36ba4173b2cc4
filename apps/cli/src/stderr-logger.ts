import type { Logger } from '@deltaglider/sdk';
import type { CliIo } from './cli-io.js';

const levels = { error: 0, warn: 1, info: 2, debug: 3 } as const;
export type LogLevel = keyof typeof levels;

export function parseLogLevel(value: string | undefined): LogLevel {
  const level = value?.trim().toLowerCase();
  return level !== undefined && level in levels ? (level as LogLevel) : 'warn';
}

export interface StderrLoggerOptions {
  /** Each line starts with the time (ISO 8601, UTC), as a long-running server's log should. */
  readonly timestamps?: boolean | undefined;
  /**
   * A warning identical to one logged less than this long ago is left out: a server that meets
   * the same trouble on every refresh says so once, then again only this rarely. 0: never.
   */
  readonly repeatWarningsAfterMs?: number | undefined;
  /** Milliseconds since the epoch; tests pass their own. */
  readonly now?: (() => number) | undefined;
}

/** How many distinct warnings a long-running logger remembers (the oldest is forgotten). */
const REMEMBERED_WARNINGS = 1_000;

/** Logs to stderr, one line each, at `DG_LOG_LEVEL` (default `warn`). stdout stays for results. */
export function createStderrLogger(
  io: CliIo,
  level: LogLevel,
  options: StderrLoggerOptions = {},
): Logger {
  const now = options.now ?? Date.now;
  const repeatAfter = options.repeatWarningsAfterMs ?? 0;
  const lastLogged = new Map<string, number>();
  const isRepeat = (line: string): boolean => {
    if (repeatAfter <= 0) return false;
    const at = now();
    const previous = lastLogged.get(line);
    if (previous !== undefined && at - previous < repeatAfter) return true;
    lastLogged.delete(line);
    lastLogged.set(line, at);
    if (lastLogged.size > REMEMBERED_WARNINGS)
      lastLogged.delete(lastLogged.keys().next().value as string);
    return false;
  };
  const write = (at: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => {
    if (levels[at] > levels[level]) return;
    const label = at === 'warn' ? 'warning' : at;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    const line = `deltaglider: ${label}: ${message}${extra}`;
    if (at === 'warn' && isRepeat(line)) return;
    const time = options.timestamps ? `${new Date(now()).toISOString()} ` : '';
    io.stderr.write(`${time}${line}\n`);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
  };
}

/** `deltaglider serve`'s log: timestamped, each recurring warning once an hour at most. */
export const SERVE_LOG_OPTIONS: StderrLoggerOptions = {
  timestamps: true,
  repeatWarningsAfterMs: 60 * 60 * 1000,
};
