import { DeltaGliderError } from './deltaglider-error.js';

/**
 * The local file changed while it was being uploaded: what was stored could not be one
 * consistent version of it, so it was removed again.
 */
export class SourceChangedError extends DeltaGliderError {
  readonly key: string;

  constructor(key: string) {
    super(
      'SOURCE_CHANGED',
      `the file changed while it was uploaded to ${key}; nothing was kept, upload it again`,
    );
    this.name = 'SourceChangedError';
    this.key = key;
  }

  static override isInstance(error: unknown): error is SourceChangedError {
    return DeltaGliderError.isInstance(error) && error.code === 'SOURCE_CHANGED';
  }
}
