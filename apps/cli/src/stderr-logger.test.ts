import { describe, expect, it } from 'vitest';
import { createStderrLogger, SERVE_LOG_OPTIONS } from './stderr-logger.js';

function capture() {
  const lines: string[] = [];
  const io = {
    stdout: { write: () => true },
    stderr: { write: (text: string | Uint8Array) => lines.push(String(text)) },
    env: {},
  };
  return { io, lines };
}

describe("deltaglider serve's log", () => {
  it('starts every line with the time, in UTC', () => {
    const { io, lines } = capture();
    const logger = createStderrLogger(io, 'info', {
      ...SERVE_LOG_OPTIONS,
      now: () => Date.UTC(2026, 11, 4, 9, 30),
    });
    logger.info('refreshed');
    expect(lines).toEqual(['2026-12-04T09:30:00.000Z deltaglider: info: refreshed\n']);
  });

  it('logs a warning that comes back on every refresh once, then again after an hour', () => {
    const { io, lines } = capture();
    let now = 0;
    const logger = createStderrLogger(io, 'warn', { ...SERVE_LOG_OPTIONS, now: () => now });
    const denied = 'stats cache not written: access denied';
    logger.warn(denied);
    now += 60_000;
    logger.warn(denied);
    logger.warn('another warning');
    now += 60 * 60 * 1000;
    logger.warn(denied);
    expect(lines.map((line) => line.slice(25))).toEqual([
      `deltaglider: warning: ${denied}\n`,
      'deltaglider: warning: another warning\n',
      `deltaglider: warning: ${denied}\n`,
    ]);
  });

  it('leaves the other commands as they were: no time, every warning', () => {
    const { io, lines } = capture();
    const logger = createStderrLogger(io, 'warn');
    logger.warn('same');
    logger.warn('same');
    expect(lines).toEqual(['deltaglider: warning: same\n', 'deltaglider: warning: same\n']);
  });
});
