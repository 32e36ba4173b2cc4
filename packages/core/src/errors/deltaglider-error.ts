import type { ObjectStoreErrorCode } from './object-store-error.js';

/** Stable codes of every error core and its adapters raise on purpose. */
export type DeltaGliderErrorCode =
  | 'OBJECT_NOT_FOUND'
  | 'INTEGRITY_MISMATCH'
  | 'CODEC_FAILED'
  | 'CODEC_UNAVAILABLE'
  | 'KEY_RESERVED'
  | 'KEY_UNSAFE'
  | 'INVALID_STATS_OPTION'
  | 'BODY_TOO_LARGE'
  | 'LISTING_ORDER'
  | 'SOURCE_CHANGED'
  | 'INVALID_INVENTORY'
  | ObjectStoreErrorCode;

// A registry-wide symbol, so isInstance still works when two copies of core are installed.
const deltaGliderErrorMarker = Symbol.for('@deltaglider/core/DeltaGliderError');

export interface DeltaGliderErrorOptions {
  readonly cause?: unknown | undefined;
  /** The call asked for something impossible: a usage error (the CLI exits 2), not an outage. */
  readonly usage?: boolean | undefined;
}

/**
 * The one root of every error core and its adapters raise on purpose: storage errors
 * (`ObjectStoreError`), delta storage, stats options. Each subclass has its own `code`;
 * `usage` says whether the caller, not the world, must change.
 */
export class DeltaGliderError extends Error {
  readonly [deltaGliderErrorMarker] = true;
  readonly code: DeltaGliderErrorCode;
  readonly usage: boolean;

  constructor(code: DeltaGliderErrorCode, message: string, options: DeltaGliderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeltaGliderError';
    this.code = code;
    this.usage = options.usage ?? false;
  }

  static isInstance(error: unknown): error is DeltaGliderError {
    return typeof error === 'object' && error !== null && deltaGliderErrorMarker in error;
  }
}
