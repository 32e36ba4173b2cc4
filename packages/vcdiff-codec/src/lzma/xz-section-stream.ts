import { CodecError } from '../codec-error.js';
import { concatBytes } from '../concat-bytes.js';
import type { LzmaChunks } from './lzma-chunks.js';
import { parseProperties } from './lzma-model.js';
import { ScriptLzmaChunks } from './script-lzma-chunks.js';
import { wasmLzmaChunks } from './wasm-lzma-chunks.js';
import {
  blockHeaderSize,
  checkStreamHeader,
  readBlockHeader,
  STREAM_HEADER_SIZE,
} from './xz-headers.js';

/** LZMA2 chunks hold at most 2 MiB, so the dictionary always keeps a whole chunk's output. */
const CHUNK_OUTPUT_MAX = 1 << 21;

/** What decodes a stream's chunks, for its dictionary size: WebAssembly where it runs. */
export type LzmaChunksFor = (dictionarySize: number) => LzmaChunks;

export const scriptLzmaChunks: LzmaChunksFor = (dictionarySize) =>
  new ScriptLzmaChunks(dictionarySize);

export const fastestLzmaChunks: LzmaChunksFor = (dictionarySize) =>
  wasmLzmaChunks(dictionarySize) ?? scriptLzmaChunks(dictionarySize);

type Phase = 'stream header' | 'block header' | 'chunks' | 'ended';

/**
 * One of xdelta3's secondary-compression streams (data, instructions or addresses). xdelta3
 * feeds each section of each window into one xz stream with an LZMA2 filter and sync-flushes
 * it, never finishing it: so the stream is decoded piecewise, one section at a time, with the
 * dictionary and the LZMA state carried from window to window.
 *
 * Input is consumed in whole LZMA2 chunks (at most 64 KiB compressed, 2 MiB decoded), so
 * memory is bounded by the bytes the delta actually holds, not by what its headers claim.
 */
export class XzSectionStream {
  private pending: Uint8Array = new Uint8Array(0);
  private phase: Phase = 'stream header';
  private chunks: LzmaChunks | undefined;
  private needsDictionaryReset = true;
  private readonly output: Uint8Array[] = [];
  private outputLength = 0;

  constructor(private readonly chunksFor: LzmaChunksFor = fastestLzmaChunks) {}

  /** Decodes the next section: its compressed bytes, which must yield exactly `size` bytes. */
  section(input: Uint8Array, size: number): Uint8Array {
    for (const _ of this.steps(input, size));
    return this.taken(size);
  }

  /**
   * As `section`, waiting for `pause` before each header or chunk: reads in flight meanwhile
   * (the window's reference) get their turns of the event loop while this decodes.
   */
  async sectionPaced(
    input: Uint8Array,
    size: number,
    pause: () => Promise<void>,
  ): Promise<Uint8Array> {
    for (const _ of this.steps(input, size)) await pause();
    return this.taken(size);
  }

  /** Decodes headers and chunks of `input` until `size` bytes are out, yielding before each. */
  private *steps(input: Uint8Array, size: number): Generator<void> {
    this.pending = this.pending.length === 0 ? input : concatBytes([this.pending, input]);
    let at = 0;
    while (this.outputLength < size) {
      yield;
      const used = this.step(at);
      if (used === 0) break;
      at += used;
    }
    this.pending = this.pending.subarray(at);
    if (this.outputLength < size)
      throw new CodecError('damaged secondary compression: a section decodes short');
  }

  /** The first `size` bytes decoded, kept out of the rest (the start of the next section). */
  private taken(size: number): Uint8Array {
    const whole = concatBytes(this.output);
    this.output.length = 0;
    this.outputLength = whole.length - size;
    if (this.outputLength > 0) this.output.push(whole.slice(size));
    return whole.subarray(0, size);
  }

  /** Decodes one header or chunk at `at` in the pending bytes; 0 when it is not all there yet. */
  private step(at: number): number {
    const available = this.pending.length - at;
    const bytes = this.pending;
    switch (this.phase) {
      case 'stream header':
        if (available < STREAM_HEADER_SIZE) return 0;
        checkStreamHeader(bytes.subarray(at, at + STREAM_HEADER_SIZE));
        this.phase = 'block header';
        return STREAM_HEADER_SIZE;
      case 'block header': {
        if (available < 1) return 0;
        const size = blockHeaderSize(bytes[at]!);
        if (available < size) return 0;
        const dictionarySize = readBlockHeader(bytes.subarray(at, at + size));
        this.chunks = this.chunksFor(Math.max(dictionarySize, CHUNK_OUTPUT_MAX));
        this.phase = 'chunks';
        return size;
      }
      case 'chunks':
        return this.chunk(at, available);
      case 'ended':
        throw new CodecError('damaged secondary compression: data after the end of its stream');
    }
  }

  /** An LZMA2 chunk: 0x00 ends, 0x01/0x02 are stored bytes, 0x80 and up are LZMA-coded. */
  private chunk(at: number, available: number): number {
    const bytes = this.pending;
    const chunks = this.chunks!;
    if (available < 1) return 0;
    const control = bytes[at]!;
    if (control === 0x00) {
      this.phase = 'ended';
      return 1;
    }
    if (control === 0x01 || control === 0x02) {
      if (available < 3) return 0;
      const size = ((bytes[at + 1]! << 8) | bytes[at + 2]!) + 1;
      if (available < 3 + size) return 0;
      this.resetDictionaryIf(control === 0x01);
      const stored = bytes.subarray(at + 3, at + 3 + size);
      chunks.putStored(stored);
      this.emit(stored.slice());
      return 3 + size;
    }
    if (control < 0x80) throw new CodecError('damaged secondary compression: bad LZMA2 chunk');
    const reset = (control >>> 5) & 0x03;
    const headerSize = reset >= 2 ? 6 : 5;
    if (available < headerSize) return 0;
    const size = (control & 0x1f) * 65536 + ((bytes[at + 1]! << 8) | bytes[at + 2]!) + 1;
    const packed = ((bytes[at + 3]! << 8) | bytes[at + 4]!) + 1;
    if (available < headerSize + packed) return 0;
    this.resetDictionaryIf(reset === 3);
    if (reset >= 2) chunks.setProperties(parseProperties(bytes[at + 5]!));
    if (reset >= 1) chunks.resetState();
    else if (!chunks.hasProperties)
      throw new CodecError('damaged secondary compression: an LZMA2 chunk without properties');
    const start = at + headerSize;
    chunks.decode(bytes, start, start + packed, size);
    this.emit(chunks.last(size));
    return headerSize + packed;
  }

  private resetDictionaryIf(reset: boolean): void {
    if (reset) {
      this.chunks!.resetDictionary();
      this.needsDictionaryReset = false;
    } else if (this.needsDictionaryReset)
      throw new CodecError('damaged secondary compression: the first LZMA2 chunk must reset');
  }

  private emit(bytes: Uint8Array): void {
    this.output.push(bytes);
    this.outputLength += bytes.length;
  }
}
