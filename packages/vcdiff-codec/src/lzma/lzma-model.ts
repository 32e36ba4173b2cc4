import { CodecError } from '../codec-error.js';

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

/** The properties byte of an LZMA2 chunk that sends them. */
export function propertiesByte(properties: LzmaProperties): number {
  return (
    (properties.positionBits * 5 + properties.literalPositionBits) * 9 +
    properties.literalContextBits
  );
}

/** The properties a chunk's byte says, refused when LZMA2 does not allow them. */
export function parseProperties(byte: number): LzmaProperties {
  if (byte >= 9 * 5 * 5) throw new CodecError('damaged LZMA data: bad properties byte');
  const literalContextBits = byte % 9;
  const literalPositionBits = Math.floor(byte / 9) % 5;
  const positionBits = Math.floor(byte / 45);
  // LZMA2 allows lc + lp up to 4 only.
  if (literalContextBits + literalPositionBits > 4)
    throw new CodecError('damaged LZMA data: lc + lp above 4');
  return { literalContextBits, literalPositionBits, positionBits };
}

/**
 * Where a literal's 0x300 probabilities start: chosen by the low `lp` bits of its position and
 * the high `lc` bits of the byte before it.
 */
export function literalBase(
  properties: LzmaProperties,
  position: number,
  previous: number,
): number {
  const positionMask = (1 << properties.literalPositionBits) - 1;
  return (
    0x300 *
    (((position & positionMask) << properties.literalContextBits) +
      (previous >>> (8 - properties.literalContextBits)))
  );
}

/** States 7 and up follow a match: a literal there is coded against the byte at the last distance. */
export const FIRST_STATE_AFTER_MATCH = 7;

/** LZMA's state machine: the state after each kind of symbol, from the state before it. */
export function stateAfterLiteral(state: number): number {
  return state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
}
export function stateAfterMatch(state: number): number {
  return state < FIRST_STATE_AFTER_MATCH ? 7 : 10;
}
export function stateAfterRep(state: number): number {
  return state < FIRST_STATE_AFTER_MATCH ? 8 : 11;
}
export function stateAfterShortRep(state: number): number {
  return state < FIRST_STATE_AFTER_MATCH ? 9 : 11;
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
