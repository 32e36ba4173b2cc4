import type { LzmaProperties } from './lzma-decoder.js';
import type { RangeEncoder } from './range-encoder.js';

const STATES = 12;
const POSITION_STATES_MAX = 16;
const LENGTH_TO_POSITION_STATES = 4;
const ALIGN_BITS = 4;
const END_POSITION_MODEL_INDEX = 14;
const FULL_DISTANCES = 128;
export const MATCH_MIN_LENGTH = 2;
export const MATCH_MAX_LENGTH = 273;
const HALF = 1024;

/** Lengths of matches, as `LengthDecoder` reads them: 8 low, 8 middle, 256 high. */
class LengthEncoder {
  private readonly choice = new Uint16Array(2);
  private readonly low = new Uint16Array(POSITION_STATES_MAX << 3);
  private readonly middle = new Uint16Array(POSITION_STATES_MAX << 3);
  private readonly high = new Uint16Array(256);

  reset(): void {
    for (const table of [this.choice, this.low, this.middle, this.high]) table.fill(HALF);
  }

  /** `length` minus MATCH_MIN_LENGTH. */
  encode(coder: RangeEncoder, length: number, positionState: number): void {
    if (length < 8) {
      coder.bit(this.choice, 0, 0);
      coder.tree(this.low, positionState << 3, 3, length);
    } else if (length < 16) {
      coder.bit(this.choice, 0, 1);
      coder.bit(this.choice, 1, 0);
      coder.tree(this.middle, positionState << 3, 3, length - 8);
    } else {
      coder.bit(this.choice, 0, 1);
      coder.bit(this.choice, 1, 1);
      coder.tree(this.high, 0, 8, length - 16);
    }
  }
}

/** The distance slot of `distance` (a distance minus one): 2 per power of two, 0-3 as is. */
export function slotOf(distance: number): number {
  if (distance < 4) return distance;
  const top = 31 - Math.clz32(distance);
  return 2 * top + ((distance >>> (top - 1)) & 1);
}

/**
 * Writes LZMA's symbols (literal, match, repeated match, short repeat) with the adaptive
 * models `LzmaDecoder` reads them with: the state, the last four distances and every
 * probability carry on from chunk to chunk, as in the decoder.
 */
export class SymbolEncoder {
  private literals: Uint16Array;
  private readonly isMatch = new Uint16Array(STATES << 4);
  private readonly isRep = new Uint16Array(STATES);
  private readonly isRepG0 = new Uint16Array(STATES);
  private readonly isRepG1 = new Uint16Array(STATES);
  private readonly isRepG2 = new Uint16Array(STATES);
  private readonly isRep0Long = new Uint16Array(STATES << 4);
  private readonly positionSlot = new Uint16Array(LENGTH_TO_POSITION_STATES << 6);
  private readonly positionSpecial = new Uint16Array(1 + FULL_DISTANCES - END_POSITION_MODEL_INDEX);
  private readonly align = new Uint16Array(1 << ALIGN_BITS);
  private readonly lengths = new LengthEncoder();
  private readonly repeatLengths = new LengthEncoder();
  private readonly literalPositionMask: number;
  readonly positionMask: number;
  state = 0;
  /** The last four distances (each minus one), most recent first. */
  readonly reps = [0, 0, 0, 0];

  constructor(
    private readonly coder: RangeEncoder,
    private readonly properties: LzmaProperties,
  ) {
    this.literals = new Uint16Array(
      0x300 << (properties.literalContextBits + properties.literalPositionBits),
    );
    this.literalPositionMask = (1 << properties.literalPositionBits) - 1;
    this.positionMask = (1 << properties.positionBits) - 1;
    this.resetState();
  }

  resetState(): void {
    this.state = 0;
    this.reps.fill(0);
    for (const table of [
      this.literals,
      this.isMatch,
      this.isRep,
      this.isRepG0,
      this.isRepG1,
      this.isRepG2,
      this.isRep0Long,
      this.positionSlot,
      this.positionSpecial,
      this.align,
    ])
      table.fill(HALF);
    this.lengths.reset();
    this.repeatLengths.reset();
  }

  /**
   * A literal at stream `position`, after `previous`; right after a match it is coded against
   * `matchByte`, the byte at the last distance, as the decoder expects.
   */
  literal(byte: number, position: number, previous: number, matchByte: number): void {
    const { coder, properties } = this;
    coder.bit(this.isMatch, (this.state << 4) + (position & this.positionMask), 0);
    const base =
      0x300 *
      (((position & this.literalPositionMask) << properties.literalContextBits) +
        (previous >>> (8 - properties.literalContextBits)));
    let symbol = 1;
    let level = 7;
    if (this.state >= 7) {
      for (; level >= 0; level--) {
        const matchBit = (matchByte >>> level) & 1;
        const bit = (byte >>> level) & 1;
        coder.bit(this.literals, base + ((1 + matchBit) << 8) + symbol, bit);
        symbol = (symbol << 1) | bit;
        if (matchBit !== bit) {
          level--;
          break;
        }
      }
    }
    for (; level >= 0; level--) {
      const bit = (byte >>> level) & 1;
      coder.bit(this.literals, base + symbol, bit);
      symbol = (symbol << 1) | bit;
    }
    this.state = this.state < 4 ? 0 : this.state < 10 ? this.state - 3 : this.state - 6;
  }

  /** A match at a new `distance` (minus one) of `length` bytes. */
  match(distance: number, length: number, position: number): void {
    const { coder } = this;
    const positionState = position & this.positionMask;
    coder.bit(this.isMatch, (this.state << 4) + positionState, 1);
    coder.bit(this.isRep, this.state, 0);
    const coded = length - MATCH_MIN_LENGTH;
    this.lengths.encode(coder, coded, positionState);
    const slot = slotOf(distance);
    const lengthState = Math.min(coded, LENGTH_TO_POSITION_STATES - 1);
    coder.tree(this.positionSlot, lengthState << 6, 6, slot);
    if (slot >= 4) {
      const footerBits = (slot >>> 1) - 1;
      const base = (2 | (slot & 1)) << footerBits;
      const reduced = distance - base;
      if (slot < END_POSITION_MODEL_INDEX)
        coder.reverseTree(this.positionSpecial, base - slot, footerBits, reduced);
      else {
        coder.direct(reduced >>> ALIGN_BITS, footerBits - ALIGN_BITS);
        coder.reverseTree(this.align, 0, ALIGN_BITS, reduced & ((1 << ALIGN_BITS) - 1));
      }
    }
    const reps = this.reps;
    reps[3] = reps[2]!;
    reps[2] = reps[1]!;
    reps[1] = reps[0]!;
    reps[0] = distance;
    this.state = this.state < 7 ? 7 : 10;
  }

  /** A match of `length` bytes at the `index`-th last distance (0-3). */
  rep(index: number, length: number, position: number): void {
    const { coder, state, reps } = this;
    const positionState = position & this.positionMask;
    coder.bit(this.isMatch, (state << 4) + positionState, 1);
    coder.bit(this.isRep, state, 1);
    if (index === 0) {
      coder.bit(this.isRepG0, state, 0);
      coder.bit(this.isRep0Long, (state << 4) + positionState, 1);
    } else {
      coder.bit(this.isRepG0, state, 1);
      const distance = reps[index]!;
      if (index === 1) coder.bit(this.isRepG1, state, 0);
      else {
        coder.bit(this.isRepG1, state, 1);
        coder.bit(this.isRepG2, state, index - 2);
        if (index === 3) reps[3] = reps[2]!;
        reps[2] = reps[1]!;
      }
      reps[1] = reps[0]!;
      reps[0] = distance;
    }
    this.repeatLengths.encode(coder, length - MATCH_MIN_LENGTH, positionState);
    this.state = state < 7 ? 8 : 11;
  }

  /** One byte repeated from the last distance. */
  shortRep(position: number): void {
    const { coder, state } = this;
    const positionState = position & this.positionMask;
    coder.bit(this.isMatch, (state << 4) + positionState, 1);
    coder.bit(this.isRep, state, 1);
    coder.bit(this.isRepG0, state, 0);
    coder.bit(this.isRep0Long, (state << 4) + positionState, 0);
    this.state = state < 7 ? 9 : 11;
  }
}
