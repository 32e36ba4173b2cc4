import { ObjectStoreError, type ObjectStoreErrorOptions } from './object-store-error.js';

/** A request the store refuses as malformed: a bad bucket name, page size or cursor. */
export class InvalidArgumentError extends ObjectStoreError {
  constructor(message: string, options: ObjectStoreErrorOptions = {}) {
    super('INVALID_ARGUMENT', message, options);
    this.name = 'InvalidArgumentError';
  }

  static override isInstance(error: unknown): error is InvalidArgumentError {
    return ObjectStoreError.isInstance(error) && error.code === 'INVALID_ARGUMENT';
  }
}
