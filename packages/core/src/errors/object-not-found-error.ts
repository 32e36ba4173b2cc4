import { DeltaGliderError } from './deltaglider-error.js';

/** Neither the key nor its `.delta` exists. */
export class ObjectNotFoundError extends DeltaGliderError {
  readonly bucket: string;
  readonly key: string;

  constructor(bucket: string, key: string) {
    super('OBJECT_NOT_FOUND', `s3://${bucket}/${key} does not exist`);
    this.name = 'ObjectNotFoundError';
    this.bucket = bucket;
    this.key = key;
  }

  static override isInstance(error: unknown): error is ObjectNotFoundError {
    return DeltaGliderError.isInstance(error) && error.code === 'OBJECT_NOT_FOUND';
  }
}
