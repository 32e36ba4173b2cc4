import { DeltaGliderError } from './deltaglider-error.js';

/** The delta codec ran and failed: not a valid delta, or made against another reference. */
export class CodecError extends DeltaGliderError {
  constructor(message: string, options: { cause?: unknown | undefined } = {}) {
    super('CODEC_FAILED', message, options);
    this.name = 'CodecError';
  }

  static override isInstance(error: unknown): error is CodecError {
    return DeltaGliderError.isInstance(error) && error.code === 'CODEC_FAILED';
  }
}
