import { DeltaGliderError } from './deltaglider-error.js';

/** Stable codes callers can branch on; adapters map provider errors onto these. */
export type ObjectStoreErrorCode =
  | 'BUCKET_NOT_FOUND'
  | 'ACCESS_DENIED'
  | 'PRECONDITION_FAILED'
  | 'INVALID_KEY'
  | 'INVALID_ARGUMENT'
  | 'STORE_UNAVAILABLE'
  | 'DAMAGED_OBJECT'
  | 'NOT_A_STORE'
  | 'WRONG_REGION';

// A registry-wide symbol, so isInstance still works when two copies of core are installed.
const objectStoreErrorMarker = Symbol.for('@deltaglider/core/ObjectStoreError');

export interface ObjectStoreErrorOptions {
  readonly cause?: unknown | undefined;
}

/** Base of every error an `ObjectStore` rejects with on purpose; a `DeltaGliderError`. */
export class ObjectStoreError extends DeltaGliderError {
  readonly [objectStoreErrorMarker] = true;
  declare readonly code: ObjectStoreErrorCode;

  constructor(code: ObjectStoreErrorCode, message: string, options: ObjectStoreErrorOptions = {}) {
    // A bad argument (an invalid bucket name) is the caller's to fix.
    super(code, message, { ...options, usage: code === 'INVALID_ARGUMENT' });
    this.name = 'ObjectStoreError';
  }

  static override isInstance(error: unknown): error is ObjectStoreError {
    return typeof error === 'object' && error !== null && objectStoreErrorMarker in error;
  }
}
