import { CodecError } from '../codec-error.js';

const PROBABILITY_BITS = 11;
const MOVE_BITS = 5;
/** Added to both sides of a comparison, it makes a signed one compare them as unsigned. */
const SIGN = -0x80000000;

/**
 * LZMA's binary range decoder over one LZMA2 chunk. `range` and `code` are 32-bit patterns kept
 * as signed integers (`| 0`) and compared as unsigned (`^ SIGN`): small integers stay untagged
 * in V8's fields and registers, where the doubles that unsigned 32-bit values need were a
 * third of a decode (measured on esbuild-wasm's delta).
 */
export class RangeDecoder {
  private range = 0;
  private code = 0;
  private input: Uint8Array = new Uint8Array(0);
  private position = 0;
  private end = 0;

  /** Starts on a chunk's compressed bytes: a zero byte, then the first four code bytes. */
  start(input: Uint8Array, start: number, end: number): void {
    if (end - start < 5 || input[start] !== 0)
      throw new CodecError('damaged LZMA data: a chunk does not start its range coder');
    this.input = input;
    this.end = end;
    this.code =
      (input[start + 1]! << 24) |
      (input[start + 2]! << 16) |
      (input[start + 3]! << 8) |
      input[start + 4]!;
    this.range = -1;
    this.position = start + 5;
    if (this.code === this.range) throw new CodecError('damaged LZMA data: bad range coder start');
  }

  /** True when the chunk's bytes were used exactly and the coder ended clean. */
  get finishedCleanly(): boolean {
    return this.position === this.end && this.code === 0;
  }

  /** One bit coded with the adaptive probability at `probabilities[index]`, which it updates. */
  bit(probabilities: Uint16Array, index: number): number {
    const probability = probabilities[index]!;
    const bound = Math.imul(this.range >>> PROBABILITY_BITS, probability);
    let bit: number;
    if ((this.code ^ SIGN) < (bound ^ SIGN)) {
      this.range = bound;
      probabilities[index] = probability + (((1 << PROBABILITY_BITS) - probability) >>> MOVE_BITS);
      bit = 0;
    } else {
      this.range = (this.range - bound) | 0;
      this.code = (this.code - bound) | 0;
      probabilities[index] = probability - (probability >>> MOVE_BITS);
      bit = 1;
    }
    if (this.range >>> 24 === 0) this.shiftIn();
    return bit;
  }

  /**
   * A literal's 8 bits from the bit tree at `base` (the probabilities after a match are kept
   * at `base + 0x100` and `base + 0x200`, chosen by the bits of `matchByte` while they agree;
   * -1 for a plain literal). The coder's state lives in locals for the 8 bits: literals are
   * most of what LZMA decodes, and a call per bit cost a third of the decode (measured).
   */
  literal(probabilities: Uint16Array, base: number, matchByte: number): number {
    let range = this.range;
    let code = this.code;
    let symbol = 1;
    let match = matchByte;
    let matching = matchByte >= 0;
    while (symbol < 0x100) {
      let index = base + symbol;
      let matchBit = 0;
      if (matching) {
        matchBit = (match >>> 7) & 1;
        match <<= 1;
        index += (1 + matchBit) << 8;
      }
      const probability = probabilities[index]!;
      const bound = Math.imul(range >>> PROBABILITY_BITS, probability);
      let bit: number;
      if ((code ^ SIGN) < (bound ^ SIGN)) {
        range = bound;
        probabilities[index] =
          probability + (((1 << PROBABILITY_BITS) - probability) >>> MOVE_BITS);
        bit = 0;
      } else {
        range = (range - bound) | 0;
        code = (code - bound) | 0;
        probabilities[index] = probability - (probability >>> MOVE_BITS);
        bit = 1;
      }
      if (range >>> 24 === 0) {
        if (this.position >= this.end)
          throw new CodecError('damaged LZMA data: a chunk ends before its last symbol');
        range <<= 8;
        code = (code << 8) | this.input[this.position++]!;
      }
      symbol = (symbol << 1) | bit;
      if (matching && matchBit !== bit) matching = false;
    }
    this.range = range;
    this.code = code;
    return symbol - 0x100;
  }

  /** `count` bits with probability one half, most significant first. */
  direct(count: number): number {
    let result = 0;
    for (let left = count; left > 0; left--) {
      this.range = this.range >>> 1;
      let bit = 0;
      if ((this.code ^ SIGN) >= (this.range ^ SIGN)) {
        this.code = (this.code - this.range) | 0;
        bit = 1;
      }
      result = result * 2 + bit;
      if (this.range >>> 24 === 0) this.shiftIn();
    }
    return result;
  }

  /** A bit tree of `bits` levels at `base`, most significant bit first. */
  tree(probabilities: Uint16Array, base: number, bits: number): number {
    let node = 1;
    for (let level = 0; level < bits; level++)
      node = node * 2 + this.bit(probabilities, base + node);
    return node - (1 << bits);
  }

  /** A bit tree of `bits` levels at `base`, least significant bit first. */
  reverseTree(probabilities: Uint16Array, base: number, bits: number): number {
    let node = 1;
    let symbol = 0;
    for (let level = 0; level < bits; level++) {
      const bit = this.bit(probabilities, base + node);
      node = node * 2 + bit;
      symbol |= bit << level;
    }
    return symbol;
  }

  private shiftIn(): void {
    if (this.position >= this.end)
      throw new CodecError('damaged LZMA data: a chunk ends before its last symbol');
    this.range <<= 8;
    this.code = (this.code << 8) | this.input[this.position++]!;
  }
}
