const TOP = 2 ** 24;
const TWO_32 = 2 ** 32;
const PROBABILITY_BITS = 11;
const MOVE_BITS = 5;

/**
 * LZMA's binary range encoder, the mirror of `RangeDecoder`: one per LZMA2 chunk's worth of
 * output (`restart` between chunks). `low` may carry into bit 32, so it is a plain number
 * below 2^33, never a 32-bit integer.
 */
export class RangeEncoder {
  private low = 0;
  private range = 0xffffffff;
  private cache = 0;
  private cacheSize = 1;
  private output = new Uint8Array(1 << 16);
  private written = 0;

  /** A fresh coder for the next chunk; the bytes written so far are dropped. */
  restart(): void {
    this.low = 0;
    this.range = 0xffffffff;
    this.cache = 0;
    this.cacheSize = 1;
    this.written = 0;
  }

  /** The chunk's bytes if it ended now: written, held back for a carry, and the flush. */
  get pendingSize(): number {
    return this.written + this.cacheSize + 4;
  }

  /** Ends the chunk (five shifts push out every byte `low` holds) and returns its bytes. */
  finish(): Uint8Array {
    for (let index = 0; index < 5; index++) this.shiftLow();
    return this.output.subarray(0, this.written);
  }

  bit(probabilities: Uint16Array, index: number, bit: number): void {
    const probability = probabilities[index]!;
    const bound = (this.range >>> PROBABILITY_BITS) * probability;
    if (bit === 0) {
      this.range = bound;
      probabilities[index] = probability + (((1 << PROBABILITY_BITS) - probability) >>> MOVE_BITS);
    } else {
      this.low += bound;
      this.range -= bound;
      probabilities[index] = probability - (probability >>> MOVE_BITS);
    }
    while (this.range < TOP) {
      this.range = this.range * 256;
      this.shiftLow();
    }
  }

  /** The low `count` bits of `value` with probability one half, most significant first. */
  direct(value: number, count: number): void {
    for (let shift = count - 1; shift >= 0; shift--) {
      this.range = this.range >>> 1;
      if ((value >>> shift) & 1) this.low += this.range;
      while (this.range < TOP) {
        this.range = this.range * 256;
        this.shiftLow();
      }
    }
  }

  /** `symbol` as a bit tree of `bits` levels at `base`, most significant bit first. */
  tree(probabilities: Uint16Array, base: number, bits: number, symbol: number): void {
    let node = 1;
    for (let level = bits - 1; level >= 0; level--) {
      const bit = (symbol >>> level) & 1;
      this.bit(probabilities, base + node, bit);
      node = node * 2 + bit;
    }
  }

  /** `symbol` as a bit tree of `bits` levels at `base`, least significant bit first. */
  reverseTree(probabilities: Uint16Array, base: number, bits: number, symbol: number): void {
    let node = 1;
    for (let level = 0; level < bits; level++) {
      const bit = (symbol >>> level) & 1;
      this.bit(probabilities, base + node, bit);
      node = node * 2 + bit;
    }
  }

  /**
   * Moves the top byte of `low` out. A byte of 0xFF may still change with a carry, so runs of
   * them are held (`cacheSize`) until a byte that cannot carry arrives.
   */
  private shiftLow(): void {
    const low = this.low;
    if (low < 0xff000000 || low >= TWO_32) {
      const carry = low >= TWO_32 ? 1 : 0;
      let byte = this.cache;
      do {
        this.emit((byte + carry) & 0xff);
        byte = 0xff;
      } while (--this.cacheSize !== 0);
      this.cache = Math.floor(low / TOP) & 0xff;
    }
    this.cacheSize++;
    this.low = (low % TOP) * 256;
  }

  private emit(byte: number): void {
    if (this.written === this.output.length) {
      const grown = new Uint8Array(this.output.length * 2);
      grown.set(this.output);
      this.output = grown;
    }
    this.output[this.written++] = byte;
  }
}
