/**
 * Makes and applies binary deltas (VCDIFF, as xdelta3 writes them). Bytes in, bytes out: the
 * adapter decides whether it needs temp files or a subprocess.
 *
 * Errors: `CodecError` (the codec ran and refused: not a delta, wrong reference) and
 * `CodecUnavailableError` (the codec is not installed), both from core.
 */
export interface DeltaCodec {
  /** A delta that rebuilds `target` from `reference`. */
  encode(
    reference: Uint8Array,
    target: Uint8Array,
    options?: { signal?: AbortSignal },
  ): Promise<Uint8Array>;
  /** Rebuilds the target from `reference` and a delta made against it. */
  decode(
    reference: Uint8Array,
    delta: Uint8Array,
    options?: { signal?: AbortSignal },
  ): Promise<Uint8Array>;
}
