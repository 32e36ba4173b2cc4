// The marker core's `DeltaGliderError.isInstance` looks for (a registry-wide symbol), so callers
// that handle DeltaGlider's errors handle the codec's too, without the codec depending on core.
const deltaGliderErrorMarker = Symbol.for('@deltaglider/core/DeltaGliderError');

/** A delta the codec cannot read or make: malformed, truncated, or not matching its source. */
export class CodecError extends Error {
  readonly [deltaGliderErrorMarker] = true;
  readonly code = 'CODEC_FAILED';
  readonly usage = false;

  constructor(message: string, options: { cause?: unknown | undefined } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodecError';
  }
}
