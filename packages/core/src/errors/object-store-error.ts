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
  readonly cause?: unknown;
}

/** Base of every error an `ObjectStore` rejects with on purpose. */
export class ObjectStoreError extends Error {
  readonly [objectStoreErrorMarker] = true;
  readonly code: ObjectStoreErrorCode;

  constructor(code: ObjectStoreErrorCode, message: string, options: ObjectStoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ObjectStoreError';
    this.code = code;
  }

  static isInstance(error: unknown): error is ObjectStoreError {
    return typeof error === 'object' && error !== null && objectStoreErrorMarker in error;
  }
}
