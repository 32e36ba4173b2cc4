import { DeltaGliderError } from './deltaglider-error.js';

/**
 * An upload would land on, or an `rm` would remove, a name DeltaGlider owns (`reference.bin`,
 * `*.delta` on upload, `.deltaglider/`).
 */
export class ReservedKeyError extends DeltaGliderError {
  readonly key: string;

  constructor(key: string, reason: string, action: 'upload to' | 'remove' = 'upload to') {
    super('KEY_RESERVED', `refusing to ${action} ${key}: ${reason}`, { usage: true });
    this.name = 'ReservedKeyError';
    this.key = key;
  }

  static override isInstance(error: unknown): error is ReservedKeyError {
    return DeltaGliderError.isInstance(error) && error.code === 'KEY_RESERVED';
  }
}
