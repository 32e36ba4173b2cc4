import { DeltaGliderError } from './deltaglider-error.js';

/** A stats call was asked for something that does not exist (an unknown mode, a bad number). */
export class StatsOptionError extends DeltaGliderError {
  readonly option: string;

  constructor(option: string, message: string) {
    super('INVALID_STATS_OPTION', message, { usage: true });
    this.name = 'StatsOptionError';
    this.option = option;
  }

  static override isInstance(error: unknown): error is StatsOptionError {
    return DeltaGliderError.isInstance(error) && error.code === 'INVALID_STATS_OPTION';
  }
}
