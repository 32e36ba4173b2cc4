// A registry-wide symbol, so isInstance still works when two copies of core are installed.
const statsOptionErrorMarker = Symbol.for('@deltaglider/core/StatsOptionError');

/** A stats call was asked for something that does not exist (an unknown mode, a bad number). */
export class StatsOptionError extends Error {
  readonly [statsOptionErrorMarker] = true;
  readonly code = 'INVALID_STATS_OPTION';
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.name = 'StatsOptionError';
    this.option = option;
  }

  static isInstance(error: unknown): error is StatsOptionError {
    return typeof error === 'object' && error !== null && statsOptionErrorMarker in error;
  }
}
