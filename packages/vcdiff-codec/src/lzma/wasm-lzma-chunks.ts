import { CodecError } from '../codec-error.js';
import { instantiate, precompile, type WasmMemory } from '../wasm-module.js';
import { lastOfRing } from './dictionary.js';
import type { LzmaChunks } from './lzma-chunks.js';
import { LZMA_CHUNKS_WASM } from './lzma-chunks-wasm.js';
import type { LzmaProperties } from './lzma-model.js';

/** What the WebAssembly decoder (assembly/lzma-chunks.ts) exports. */
interface LzmaChunksExports {
  readonly memory: WasmMemory;
  inputAddress(): number;
  dictionaryAddress(): number;
  dictionaryPosition(): number;
  dictionaryCapacity(): number;
  setProperties(lc: number, lp: number, pb: number): void;
  resetState(): void;
  resetDictionary(): void;
  reserve(count: number, limit: number): number;
  putStored(size: number): void;
  decode(packed: number, size: number): number;
}

/** The most compressed bytes an LZMA2 chunk holds: the decoder's input buffer. */
const INPUT_CAPACITY = 1 << 16;

/** Its answers, as the TypeScript decoder words them. */
const FAILURES: Record<number, string> = {
  1: 'damaged LZMA data: a chunk does not start its range coder',
  2: 'damaged LZMA data: a chunk ends before its last symbol',
  3: 'damaged LZMA data: a match reaches before the start of the data',
  4: 'damaged LZMA data: a match runs past the end of its chunk',
  5: 'damaged LZMA data: an end marker inside an LZMA2 chunk',
  6: 'damaged secondary compression: an LZMA2 chunk does not add up',
  7: 'the LZMA dictionary does not fit in memory',
};

/**
 * Starts compiling the decoder's module in the background, for its first use (`precompile`):
 * the promise ends with the compile.
 */
export function prepareWasmLzmaChunks(): Promise<void> {
  return precompile(LZMA_CHUNKS_WASM);
}

/**
 * LZMA2 chunks decoded by the WebAssembly build of the decoder, in a memory of their own (its
 * dictionary grows as the TypeScript one does); undefined where it cannot run.
 */
export function wasmLzmaChunks(dictionarySize: number): LzmaChunks | undefined {
  const exports = instantiate<LzmaChunksExports>(LZMA_CHUNKS_WASM);
  return exports && new WasmLzmaChunks(exports, dictionarySize);
}

class WasmLzmaChunks implements LzmaChunks {
  private properties = false;
  private readonly input: number;

  constructor(
    private readonly wasm: LzmaChunksExports,
    private readonly dictionarySize: number,
  ) {
    this.input = wasm.inputAddress();
  }

  get hasProperties(): boolean {
    return this.properties;
  }

  setProperties(properties: LzmaProperties): void {
    this.wasm.setProperties(
      properties.literalContextBits,
      properties.literalPositionBits,
      properties.positionBits,
    );
    this.properties = true;
  }

  resetState(): void {
    this.wasm.resetState();
  }

  resetDictionary(): void {
    this.wasm.resetDictionary();
  }

  putStored(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes().set(bytes, this.input);
    this.wasm.putStored(bytes.length);
  }

  decode(input: Uint8Array, start: number, end: number, size: number): void {
    if (end - start > INPUT_CAPACITY) this.fail(1);
    this.reserve(size);
    this.bytes().set(input.subarray(start, end), this.input);
    const failure = this.wasm.decode(end - start, size);
    if (failure !== 0) this.fail(failure);
  }

  last(count: number): Uint8Array {
    const dictionary = this.wasm.dictionaryAddress();
    const ring = this.bytes().subarray(dictionary, dictionary + this.wasm.dictionaryCapacity());
    return lastOfRing(ring, this.wasm.dictionaryPosition(), count);
  }

  private reserve(count: number): void {
    const failure = this.wasm.reserve(count, this.dictionarySize);
    if (failure !== 0) this.fail(failure);
  }

  /** The memory's bytes, viewed anew: growing the memory detaches older views. */
  private bytes(): Uint8Array {
    return new Uint8Array(this.wasm.memory.buffer);
  }

  private fail(failure: number): never {
    throw new CodecError(FAILURES[failure] ?? 'damaged LZMA data');
  }
}
