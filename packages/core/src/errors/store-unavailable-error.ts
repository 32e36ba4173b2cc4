import { ObjectStoreError, type ObjectStoreErrorOptions } from './object-store-error.js';

/** The store could not answer (network, server error, throttling) even after retries. */
export class StoreUnavailableError extends ObjectStoreError {
  constructor(message: string, options: ObjectStoreErrorOptions = {}) {
    super('STORE_UNAVAILABLE', message, options);
    this.name = 'StoreUnavailableError';
  }

  static override isInstance(error: unknown): error is StoreUnavailableError {
    return ObjectStoreError.isInstance(error) && error.code === 'STORE_UNAVAILABLE';
  }
}
