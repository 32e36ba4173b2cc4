/**
 * Bytes the codec reads: a reference, a delta or a target. The same shape as core's
 * `BodySource`, declared here so the codec depends on nothing.
 */
export interface ByteSource {
  readonly size: number;
  /** The bytes from `start` (inclusive) to `end` (exclusive); default all of them. */
  read(range?: { readonly start: number; readonly end: number }): AsyncIterable<Uint8Array>;
  /** Copies a range straight into a buffer, when the source can seek (a local file). */
  readInto?(
    into: Uint8Array,
    at: number,
    range: { readonly start: number; readonly end: number },
    signal?: AbortSignal,
  ): Promise<void>;
}
