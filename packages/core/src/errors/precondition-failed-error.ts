import { ObjectStoreError, type ObjectStoreErrorOptions } from './object-store-error.js';

/** A conditional write lost: the key already existed, or its ETag no longer matched. */
export class PreconditionFailedError extends ObjectStoreError {
  readonly bucket: string;
  readonly key: string;

  constructor(bucket: string, key: string, options: ObjectStoreErrorOptions = {}) {
    super('PRECONDITION_FAILED', `precondition failed writing "${bucket}/${key}"`, options);
    this.name = 'PreconditionFailedError';
    this.bucket = bucket;
    this.key = key;
  }

  static override isInstance(error: unknown): error is PreconditionFailedError {
    return ObjectStoreError.isInstance(error) && error.code === 'PRECONDITION_FAILED';
  }
}
