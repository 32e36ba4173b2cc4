import type { Logger } from '@deltaglider/core';

type Fields = Readonly<Record<string, unknown>>;

/**
 * Any common logger as core's `Logger`, without an adapter. `console` and winston take
 * `(message, fields)`, as core calls them; pino and bunyan take `(fields, message)`, so their
 * calls are turned around (recognised by pino's `levels.values` and bunyan's `streams`).
 */
export function acceptLogger(logger: Logger): Logger {
  if (!takesFieldsFirst(logger)) return logger;
  const call =
    (level: 'debug' | 'info' | 'warn') =>
    (message: string, fields?: Fields): void => {
      const log = logger[level] as unknown as (first: unknown, second?: string) => void;
      if (fields === undefined) log.call(logger, message);
      else log.call(logger, fields, message);
    };
  return { debug: call('debug'), info: call('info'), warn: call('warn') };
}

function takesFieldsFirst(logger: Logger): boolean {
  const shape = logger as unknown as { levels?: { values?: unknown }; streams?: unknown };
  const isPino = typeof shape.levels === 'object' && typeof shape.levels?.values === 'object';
  const isBunyan = Array.isArray(shape.streams);
  return isPino || isBunyan;
}
