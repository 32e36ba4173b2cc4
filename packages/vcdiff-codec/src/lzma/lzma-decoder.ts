import { CodecError } from '../codec-error.js';
import type { Dictionary } from './dictionary.js';
import type { RangeDecoder } from './range-decoder.js';

const STATES = 12;
const POSITION_STATES_MAX = 16;
const LENGTH_TO_POSITION_STATES = 4;
const ALIGN_BITS = 4;
const END_POSITION_MODEL_INDEX = 14;
const FULL_DISTANCES = 128;
const MATCH_MIN_LENGTH = 2;
const HALF = 1024;

/** lc, lp and pb from an LZMA properties byte: (pb * 5 + lp) * 9 + lc. */
export interface LzmaProperties {
  readonly literalContextBits: number;
  readonly literalPositionBits: number;
  readonly positionBits: number;
}

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

/** Lengths of matches: a choice between 8 low, 8 middle and 256 high lengths per position. */
class LengthDecoder {
  private readonly choice = new Uint16Array(2);
  private readonly low = new Uint16Array(POSITION_STATES_MAX << 3);
  private readonly middle = new Uint16Array(POSITION_STATES_MAX << 3);
  private readonly high = new Uint16Array(256);

  reset(): void {
    for (const table of [this.choice, this.low, this.middle, this.high]) table.fill(HALF);
  }

  decode(coder: RangeDecoder, positionState: number): number {
    if (coder.bit(this.choice, 0) === 0) return coder.tree(this.low, positionState << 3, 3);
    if (coder.bit(this.choice, 1) === 0) return 8 + coder.tree(this.middle, positionState << 3, 3);
    return 16 + coder.tree(this.high, 0, 8);
  }
}

/**
 * The LZMA decoder proper (as in the LZMA SDK's reference decoder), kept between LZMA2 chunks:
 * its state, last four distances and adaptive probabilities carry over unless a chunk resets them.
 */
export class LzmaDecoder {
  private properties: LzmaProperties | undefined;
  private literal = new Uint16Array(0x300);
  private readonly isMatch = new Uint16Array(STATES << 4);
  private readonly isRep = new Uint16Array(STATES);
  private readonly isRepG0 = new Uint16Array(STATES);
  private readonly isRepG1 = new Uint16Array(STATES);
  private readonly isRepG2 = new Uint16Array(STATES);
  private readonly isRep0Long = new Uint16Array(STATES << 4);
  private readonly positionSlot = new Uint16Array(LENGTH_TO_POSITION_STATES << 6);
  private readonly positionSpecial = new Uint16Array(1 + FULL_DISTANCES - END_POSITION_MODEL_INDEX);
  private readonly align = new Uint16Array(1 << ALIGN_BITS);
  private readonly lengths = new LengthDecoder();
  private readonly repeatLengths = new LengthDecoder();
  private state = 0;
  private rep0 = 0;
  private rep1 = 0;
  private rep2 = 0;
  private rep3 = 0;

  constructor(
    private readonly coder: RangeDecoder,
    private readonly dictionary: Dictionary,
  ) {}

  get hasProperties(): boolean {
    return this.properties !== undefined;
  }

  setProperties(properties: LzmaProperties): void {
    this.properties = properties;
    const size = 0x300 << (properties.literalContextBits + properties.literalPositionBits);
    if (this.literal.length !== size) this.literal = new Uint16Array(size);
  }

  /** Back to the start state with every probability one half. */
  resetState(): void {
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
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

  /** Decodes exactly `size` bytes into the dictionary (the range coder already started). */
  decode(size: number): void {
    const properties = this.properties;
    if (!properties) throw new CodecError('damaged LZMA data: a chunk without properties');
    const { coder, dictionary } = this;
    const positionMask = (1 << properties.positionBits) - 1;
    const end = dictionary.total + size;
    while (dictionary.total < end) {
      const positionState = dictionary.total & positionMask;
      const state = this.state;
      if (coder.bit(this.isMatch, (state << 4) + positionState) === 0) {
        this.decodeLiteral(properties);
        continue;
      }
      let length: number;
      if (coder.bit(this.isRep, state) === 0) {
        length = this.lengths.decode(coder, positionState);
        this.state = state < 7 ? 7 : 10;
        this.rep3 = this.rep2;
        this.rep2 = this.rep1;
        this.rep1 = this.rep0;
        this.rep0 = this.decodeDistance(length);
        if (this.rep0 === 0xffffffff)
          throw new CodecError('damaged LZMA data: an end marker inside an LZMA2 chunk');
      } else {
        if (coder.bit(this.isRepG0, state) === 0) {
          if (coder.bit(this.isRep0Long, (state << 4) + positionState) === 0) {
            this.state = state < 7 ? 9 : 11;
            dictionary.copyMatch(this.rep0, 1);
            continue;
          }
        } else {
          let distance: number;
          if (coder.bit(this.isRepG1, state) === 0) distance = this.rep1;
          else {
            if (coder.bit(this.isRepG2, state) === 0) distance = this.rep2;
            else {
              distance = this.rep3;
              this.rep3 = this.rep2;
            }
            this.rep2 = this.rep1;
          }
          this.rep1 = this.rep0;
          this.rep0 = distance;
        }
        length = this.repeatLengths.decode(coder, positionState);
        this.state = state < 7 ? 8 : 11;
      }
      length += MATCH_MIN_LENGTH;
      if (length > end - dictionary.total)
        throw new CodecError('damaged LZMA data: a match runs past the end of its chunk');
      dictionary.copyMatch(this.rep0, length);
    }
  }

  private decodeLiteral(properties: LzmaProperties): void {
    const { coder, dictionary } = this;
    const previous = dictionary.back(0);
    const literalState =
      ((dictionary.total & ((1 << properties.literalPositionBits) - 1)) <<
        properties.literalContextBits) +
      (previous >>> (8 - properties.literalContextBits));
    const base = 0x300 * literalState;
    const matchByte = this.state >= 7 ? dictionary.back(this.rep0) : -1;
    dictionary.put(coder.literal(this.literal, base, matchByte));
    this.state = this.state < 4 ? 0 : this.state < 10 ? this.state - 3 : this.state - 6;
  }

  /** A match's distance minus one; `length` is the match length minus two. */
  private decodeDistance(length: number): number {
    const { coder } = this;
    const lengthState = Math.min(length, LENGTH_TO_POSITION_STATES - 1);
    const slot = coder.tree(this.positionSlot, lengthState << 6, 6);
    if (slot < 4) return slot;
    const directBits = (slot >>> 1) - 1;
    const distance = (2 | (slot & 1)) * 2 ** directBits;
    if (slot < END_POSITION_MODEL_INDEX)
      return distance + coder.reverseTree(this.positionSpecial, distance - slot, directBits);
    return (
      distance +
      coder.direct(directBits - ALIGN_BITS) * (1 << ALIGN_BITS) +
      coder.reverseTree(this.align, 0, ALIGN_BITS)
    );
  }
}
