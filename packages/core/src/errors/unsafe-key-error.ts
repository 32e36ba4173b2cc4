import { DeltaGliderError } from './deltaglider-error.js';

/**
 * A bucket key that cannot become a local file name without escaping the destination or
 * changing meaning (`..`, absolute, `\`, NUL). Any S3 server can hold such a key.
 */
export class UnsafeKeyError extends DeltaGliderError {
  readonly bucket: string;
  readonly key: string;

  constructor(bucket: string, key: string, reason: string) {
    super('KEY_UNSAFE', `refusing to download s3://${bucket}/${key}: ${reason}`);
    this.name = 'UnsafeKeyError';
    this.bucket = bucket;
    this.key = key;
  }

  static override isInstance(error: unknown): error is UnsafeKeyError {
    return DeltaGliderError.isInstance(error) && error.code === 'KEY_UNSAFE';
  }
}
