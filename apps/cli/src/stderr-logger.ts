import type { Logger } from '@deltaglider/sdk';
import type { CliIo } from './cli-io.js';

const levels = { error: 0, warn: 1, info: 2, debug: 3 } as const;
export type LogLevel = keyof typeof levels;

export function parseLogLevel(value: string | undefined): LogLevel {
  const level = value?.trim().toLowerCase();
  return level !== undefined && level in levels ? (level as LogLevel) : 'warn';
}

/** Logs to stderr, one line each, at `DG_LOG_LEVEL` (default `warn`). stdout stays for results. */
export function createStderrLogger(io: CliIo, level: LogLevel): Logger {
  const write = (at: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => {
    if (levels[at] > levels[level]) return;
    const label = at === 'warn' ? 'warning' : at;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    io.stderr.write(`deltaglider: ${label}: ${message}${extra}\n`);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
  };
}
