import { ObjectStoreError, type ObjectStoreErrorOptions } from './object-store-error.js';

export class AccessDeniedError extends ObjectStoreError {
  readonly bucket: string;
  readonly key: string | undefined;

  constructor(bucket: string, key: string | undefined, options: ObjectStoreErrorOptions = {}) {
    const target = key === undefined ? `bucket "${bucket}"` : `s3://${bucket}/${key}`;
    super('ACCESS_DENIED', `access denied to ${target}`, options);
    this.name = 'AccessDeniedError';
    this.bucket = bucket;
    this.key = key;
  }

  static override isInstance(error: unknown): error is AccessDeniedError {
    return ObjectStoreError.isInstance(error) && error.code === 'ACCESS_DENIED';
  }
}
