import { ObjectStoreError, type ObjectStoreErrorOptions } from './object-store-error.js';

export class BucketNotFoundError extends ObjectStoreError {
  readonly bucket: string;

  constructor(bucket: string, options: ObjectStoreErrorOptions = {}) {
    super('BUCKET_NOT_FOUND', `bucket "${bucket}" does not exist`, options);
    this.name = 'BucketNotFoundError';
    this.bucket = bucket;
  }

  static override isInstance(error: unknown): error is BucketNotFoundError {
    return ObjectStoreError.isInstance(error) && error.code === 'BUCKET_NOT_FOUND';
  }
}
