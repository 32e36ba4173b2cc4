/** Stable codes of the errors DeltaGlider's own operations raise (storage errors have theirs). */
export type DeltaGliderErrorCode =
  | 'OBJECT_NOT_FOUND'
  | 'INTEGRITY_MISMATCH'
  | 'CODEC_FAILED'
  | 'CODEC_UNAVAILABLE'
  | 'KEY_RESERVED'
  | 'KEY_UNSAFE';

const deltaGliderErrorMarker = Symbol.for('@deltaglider/core/DeltaGliderError');

/** Base of the errors cp, rm and verify raise on purpose; each subclass has its own code. */
export class DeltaGliderError extends Error {
  readonly [deltaGliderErrorMarker] = true;
  readonly code: DeltaGliderErrorCode;

  constructor(code: DeltaGliderErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeltaGliderError';
    this.code = code;
  }

  static isInstance(error: unknown): error is DeltaGliderError {
    return typeof error === 'object' && error !== null && deltaGliderErrorMarker in error;
  }
}
