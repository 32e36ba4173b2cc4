import type { LzmaProperties } from './lzma-model.js';

/**
 * What an LZMA2 stream's chunks are decoded by: the LZMA state, its probabilities and the
 * dictionary, kept from chunk to chunk. Two implement it: `ScriptLzmaChunks` (TypeScript, runs
 * everywhere) and `WasmLzmaChunks` (the same decoder compiled to WebAssembly, used wherever
 * WebAssembly runs: xz's stream of esbuild-wasm's 14 MB tar in 207-217 ms against 343-456 ms,
 * the first run the slowest in TypeScript, which the JIT has not warmed up yet; liblzma takes
 * 152 ms).
 */
export interface LzmaChunks {
  readonly hasProperties: boolean;
  setProperties(properties: LzmaProperties): void;
  /** Back to the start state with every probability one half. */
  resetState(): void;
  resetDictionary(): void;
  /** A stored chunk's bytes, into the dictionary as they are. */
  putStored(bytes: Uint8Array): void;
  /**
   * Decodes the LZMA chunk `input[start..end)` into exactly `size` bytes, refusing (with a
   * `CodecError`) a chunk that does not add up.
   */
  decode(input: Uint8Array, start: number, end: number, size: number): void;
  /** The last `count` bytes decoded (at most a chunk's output), as a copy. */
  last(count: number): Uint8Array;
}
