import { describe, expect, it } from 'vitest';
import { acceptLogger } from './accept-logger.js';
import { createClient } from './create-client.js';

describe('loggers without an adapter', () => {
  it('passes console-style loggers through: (message, fields)', () => {
    const calls: unknown[][] = [];
    const consoleLike = {
      debug: (...args: unknown[]) => calls.push(['debug', ...args]),
      info: (...args: unknown[]) => calls.push(['info', ...args]),
      warn: (...args: unknown[]) => calls.push(['warn', ...args]),
    };
    acceptLogger(consoleLike).warn('cache unreadable', { key: 'k' });
    expect(calls).toEqual([['warn', 'cache unreadable', { key: 'k' }]]);
    // console itself is a Logger as far as the types go.
    expect(() => createClient({ logger: console, endpoint: 'file:///tmp' })).not.toThrow();
  });

  it('turns calls around for pino-style loggers: (fields, message)', () => {
    const calls: unknown[][] = [];
    const pinoLike = {
      levels: { values: { debug: 20, info: 30, warn: 40 }, labels: {} },
      debug: (...args: unknown[]) => calls.push(['debug', ...args]),
      info: (...args: unknown[]) => calls.push(['info', ...args]),
      warn: (...args: unknown[]) => calls.push(['warn', ...args]),
    };
    const logger = acceptLogger(pinoLike);
    logger.info('stats computed', { ms: 12 });
    logger.debug('listing');
    expect(calls).toEqual([
      ['info', { ms: 12 }, 'stats computed'],
      ['debug', 'listing'],
    ]);
  });
});
