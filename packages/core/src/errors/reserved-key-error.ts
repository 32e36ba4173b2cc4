import { DeltaGliderError } from './deltaglider-error.js';

/** An upload would land on a name DeltaGlider owns (`reference.bin`, `*.delta`, `.deltaglider/`). */
export class ReservedKeyError extends DeltaGliderError {
  readonly key: string;

  constructor(key: string, reason: string) {
    super('KEY_RESERVED', `refusing to upload to ${key}: ${reason}`);
    this.name = 'ReservedKeyError';
    this.key = key;
  }

  static override isInstance(error: unknown): error is ReservedKeyError {
    return DeltaGliderError.isInstance(error) && error.code === 'KEY_RESERVED';
  }
}
