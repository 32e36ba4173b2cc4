import { DeltaGliderError } from './deltaglider-error.js';

/** The delta codec is not installed; the message says how to install it. */
export class CodecUnavailableError extends DeltaGliderError {
  constructor(message: string, options: { cause?: unknown | undefined } = {}) {
    super('CODEC_UNAVAILABLE', message, options);
    this.name = 'CodecUnavailableError';
  }

  static override isInstance(error: unknown): error is CodecUnavailableError {
    return DeltaGliderError.isInstance(error) && error.code === 'CODEC_UNAVAILABLE';
  }
}
