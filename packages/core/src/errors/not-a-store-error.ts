import { ObjectStoreError, type ObjectStoreErrorOptions } from './object-store-error.js';

/**
 * A local directory named as a bucket holds files the tool did not write: using it would mix
 * our files into someone's folder and report its contents as zero objects.
 */
export class NotAStoreError extends ObjectStoreError {
  readonly bucket: string;

  constructor(bucket: string, message: string, options: ObjectStoreErrorOptions = {}) {
    super('NOT_A_STORE', message, options);
    this.name = 'NotAStoreError';
    this.bucket = bucket;
  }

  static override isInstance(error: unknown): error is NotAStoreError {
    return ObjectStoreError.isInstance(error) && error.code === 'NOT_A_STORE';
  }
}
