/**
 * Bytes the codec reads: a reference, a delta or a target. The same shape as core's
 * `BodySource`, declared here so the codec depends on nothing.
 */
export interface ByteSource {
  readonly size: number;
  /** The bytes from `start` (inclusive) to `end` (exclusive); default all of them. */
  read(range?: { readonly start: number; readonly end: number }): AsyncIterable<Uint8Array>;
  /**
   * Where the bytes are a local file, its path: reading more of it than needed costs little,
   * so the decoder reads a window's whole stretch of the reference instead of working out which
   * parts it copies (WasmWindows).
   */
  readonly localPath?: string | undefined;
  /** Copies a range straight into a buffer, when the source can seek (a local file). */
  readInto?(
    into: Uint8Array,
    at: number,
    range: { readonly start: number; readonly end: number },
    signal?: AbortSignal,
  ): Promise<void>;
}
