import { CodecError } from '../codec-error.js';
import { Dictionary } from './dictionary.js';
import type { LzmaChunks } from './lzma-chunks.js';
import { LzmaDecoder } from './lzma-decoder.js';
import type { LzmaProperties } from './lzma-model.js';
import { RangeDecoder } from './range-decoder.js';

/** LZMA2 chunks decoded in TypeScript: where WebAssembly is not there to run them. */
export class ScriptLzmaChunks implements LzmaChunks {
  private readonly coder = new RangeDecoder();
  private readonly dictionary: Dictionary;
  private readonly decoder: LzmaDecoder;

  /** `dictionarySize`: the most bytes a match reaches back. */
  constructor(dictionarySize: number) {
    this.dictionary = new Dictionary(dictionarySize);
    this.decoder = new LzmaDecoder(this.coder, this.dictionary);
  }

  get hasProperties(): boolean {
    return this.decoder.hasProperties;
  }

  setProperties(properties: LzmaProperties): void {
    this.decoder.setProperties(properties);
  }

  resetState(): void {
    this.decoder.resetState();
  }

  resetDictionary(): void {
    this.dictionary.reset();
  }

  putStored(bytes: Uint8Array): void {
    this.dictionary.reserve(bytes.length);
    this.dictionary.putAll(bytes);
  }

  decode(input: Uint8Array, start: number, end: number, size: number): void {
    this.coder.start(input, start, end);
    this.dictionary.reserve(size);
    this.decoder.decode(size);
    if (!this.coder.finishedCleanly)
      throw new CodecError('damaged secondary compression: an LZMA2 chunk does not add up');
  }

  last(count: number): Uint8Array {
    return this.dictionary.last(count);
  }
}
