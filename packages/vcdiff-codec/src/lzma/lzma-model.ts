/** LZMA's constants and adaptive probabilities, the same on both sides of the range coder. */
export const STATES = 12;
const POSITION_STATES_MAX = 16;
export const LENGTH_TO_POSITION_STATES = 4;
export const ALIGN_BITS = 4;
export const END_POSITION_MODEL_INDEX = 14;
const FULL_DISTANCES = 128;
export const MATCH_MIN_LENGTH = 2;
export const MATCH_MAX_LENGTH = 273;
/** A probability of one half, in LZMA's 11-bit scale. */
const HALF = 1024;

/** lc, lp and pb from an LZMA properties byte: (pb * 5 + lp) * 9 + lc. */
export interface LzmaProperties {
  readonly literalContextBits: number;
  readonly literalPositionBits: number;
  readonly positionBits: number;
}

/** Lengths of matches: a choice between 8 low, 8 middle and 256 high lengths per position. */
export class LengthModel {
  readonly choice = new Uint16Array(2);
  readonly low = new Uint16Array(POSITION_STATES_MAX << 3);
  readonly middle = new Uint16Array(POSITION_STATES_MAX << 3);
  readonly high = new Uint16Array(256);

  reset(): void {
    for (const table of [this.choice, this.low, this.middle, this.high]) table.fill(HALF);
  }
}

/** Every probability an LZMA coder adapts, by what it decides. */
export class LzmaModel {
  literal = new Uint16Array(0x300);
  readonly isMatch = new Uint16Array(STATES << 4);
  readonly isRep = new Uint16Array(STATES);
  readonly isRepG0 = new Uint16Array(STATES);
  readonly isRepG1 = new Uint16Array(STATES);
  readonly isRepG2 = new Uint16Array(STATES);
  readonly isRep0Long = new Uint16Array(STATES << 4);
  readonly positionSlot = new Uint16Array(LENGTH_TO_POSITION_STATES << 6);
  readonly positionSpecial = new Uint16Array(1 + FULL_DISTANCES - END_POSITION_MODEL_INDEX);
  readonly align = new Uint16Array(1 << ALIGN_BITS);
  readonly lengths = new LengthModel();
  readonly repeatLengths = new LengthModel();

  /** Sizes the literal tables for `properties` (0x300 probabilities per literal context). */
  fit(properties: LzmaProperties): void {
    const size = 0x300 << (properties.literalContextBits + properties.literalPositionBits);
    if (this.literal.length !== size) this.literal = new Uint16Array(size);
  }

  /** Every probability back to one half. */
  reset(): void {
    for (const table of [
      this.literal,
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
}
