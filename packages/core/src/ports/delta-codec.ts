import type { BodySource } from './object-store.js';

/**
 * Makes and applies binary deltas (VCDIFF, as xdelta3 writes them) as streams, so neither file
 * has to fit in memory. The reference is a `BodySource` because a delta refers back into it
 * anywhere: it is read by offset (xdelta3 reads its `localPath`).
 *
 * Errors: `CodecError` (the codec ran and refused: not a delta, wrong reference) and
 * `CodecUnavailableError` (the codec is not installed), both from core.
 */
export interface DeltaCodec {
  /**
   * The encoder as a command line without its files (`xdelta3 -e -3`), written into each
   * delta's `dg-delta-cmd` as the Python tool does. Default `xdelta3 -e -9`, the Python tool's.
   */
  readonly encoderCommand?: string;
  /**
   * A delta that rebuilds `target` from `reference`, spooled where the codec keeps scratch
   * bytes (a temp file) until the caller disposes of it.
   */
  encode(
    reference: BodySource,
    target: BodySource,
    options?: { signal?: AbortSignal | undefined },
  ): Promise<SpooledBody>;
  /**
   * The target rebuilt from `reference` and a delta made against it, as it is produced. A
   * failure (a corrupt delta) rejects the iteration, at the latest on its last step. With
   * `reuseChunks` the caller has let go of each chunk by the time it asks for the one after
   * next (it writes a chunk while it asks for the next, or only hashes it), so the codec may
   * hand chunks over in memory it used before rather than fresh memory for each; a codec is
   * free to ignore it.
   */
  decode(
    reference: BodySource,
    delta: AsyncIterable<Uint8Array>,
    options?: { signal?: AbortSignal | undefined; reuseChunks?: boolean | undefined },
  ): AsyncIterable<Uint8Array>;
}

/** Bytes a codec wrote to scratch space: read them, then `dispose()` frees the space. */
export interface SpooledBody extends BodySource {
  dispose(): Promise<void>;
}
