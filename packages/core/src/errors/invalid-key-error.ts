import { ObjectStoreError, type ObjectStoreErrorOptions } from './object-store-error.js';

/** The store cannot hold this key safely (for a directory store: `..`, NUL, absolute paths). */
export class InvalidKeyError extends ObjectStoreError {
  readonly key: string;
  readonly reason: string;

  constructor(key: string, reason: string, options: ObjectStoreErrorOptions = {}) {
    super('INVALID_KEY', `invalid key ${JSON.stringify(key)}: ${reason}`, options);
    this.name = 'InvalidKeyError';
    this.key = key;
    this.reason = reason;
  }

  static override isInstance(error: unknown): error is InvalidKeyError {
    return ObjectStoreError.isInstance(error) && error.code === 'INVALID_KEY';
  }
}
