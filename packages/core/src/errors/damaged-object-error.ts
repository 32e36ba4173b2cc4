import { ObjectStoreError, type ObjectStoreErrorOptions } from './object-store-error.js';

/**
 * The store holds something under this key that it cannot read as an object (a local store's
 * file damaged or written by something else). Listings skip it with a warning; it can still be
 * deleted.
 */
export class DamagedObjectError extends ObjectStoreError {
  readonly bucket: string;
  readonly key: string;

  constructor(bucket: string, key: string, detail: string, options: ObjectStoreErrorOptions = {}) {
    super('DAMAGED_OBJECT', `s3://${bucket}/${key} is damaged: ${detail}`, options);
    this.name = 'DamagedObjectError';
    this.bucket = bucket;
    this.key = key;
  }

  static override isInstance(error: unknown): error is DamagedObjectError {
    return ObjectStoreError.isInstance(error) && error.code === 'DAMAGED_OBJECT';
  }
}
