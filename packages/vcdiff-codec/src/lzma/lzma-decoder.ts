import { CodecError } from '../codec-error.js';
import type { Dictionary } from './dictionary.js';
import {
  ALIGN_BITS,
  END_POSITION_MODEL_INDEX,
  FIRST_STATE_AFTER_MATCH,
  LENGTH_TO_POSITION_STATES,
  type LengthModel,
  LzmaModel,
  type LzmaProperties,
  literalBase,
  MATCH_MIN_LENGTH,
  stateAfterLiteral,
  stateAfterMatch,
  stateAfterRep,
  stateAfterShortRep,
} from './lzma-model.js';
import type { RangeDecoder } from './range-decoder.js';

/** A match length minus MATCH_MIN_LENGTH, from `model`'s choice and trees. */
function decodeLength(coder: RangeDecoder, model: LengthModel, positionState: number): number {
  if (coder.bit(model.choice, 0) === 0) return coder.tree(model.low, positionState << 3, 3);
  if (coder.bit(model.choice, 1) === 0) return 8 + coder.tree(model.middle, positionState << 3, 3);
  return 16 + coder.tree(model.high, 0, 8);
}

/**
 * The LZMA decoder proper (as in the LZMA SDK's reference decoder), kept between LZMA2 chunks:
 * its state, last four distances and adaptive probabilities carry over unless a chunk resets them.
 */
export class LzmaDecoder {
  private properties: LzmaProperties | undefined;
  private readonly model = new LzmaModel();
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
    this.model.fit(properties);
  }

  /** Back to the start state with every probability one half. */
  resetState(): void {
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
    this.model.reset();
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
      if (coder.bit(this.model.isMatch, (state << 4) + positionState) === 0) {
        this.decodeLiteral(properties);
        continue;
      }
      let length: number;
      if (coder.bit(this.model.isRep, state) === 0) {
        length = decodeLength(coder, this.model.lengths, positionState);
        this.state = stateAfterMatch(state);
        this.rep3 = this.rep2;
        this.rep2 = this.rep1;
        this.rep1 = this.rep0;
        this.rep0 = this.decodeDistance(length);
        if (this.rep0 === 0xffffffff)
          throw new CodecError('damaged LZMA data: an end marker inside an LZMA2 chunk');
      } else {
        if (coder.bit(this.model.isRepG0, state) === 0) {
          if (coder.bit(this.model.isRep0Long, (state << 4) + positionState) === 0) {
            this.state = stateAfterShortRep(state);
            dictionary.copyMatch(this.rep0, 1);
            continue;
          }
        } else {
          let distance: number;
          if (coder.bit(this.model.isRepG1, state) === 0) distance = this.rep1;
          else {
            if (coder.bit(this.model.isRepG2, state) === 0) distance = this.rep2;
            else {
              distance = this.rep3;
              this.rep3 = this.rep2;
            }
            this.rep2 = this.rep1;
          }
          this.rep1 = this.rep0;
          this.rep0 = distance;
        }
        length = decodeLength(coder, this.model.repeatLengths, positionState);
        this.state = stateAfterRep(state);
      }
      length += MATCH_MIN_LENGTH;
      if (length > end - dictionary.total)
        throw new CodecError('damaged LZMA data: a match runs past the end of its chunk');
      dictionary.copyMatch(this.rep0, length);
    }
  }

  private decodeLiteral(properties: LzmaProperties): void {
    const { coder, dictionary } = this;
    const base = literalBase(properties, dictionary.total, dictionary.back(0));
    const matchByte = this.state >= FIRST_STATE_AFTER_MATCH ? dictionary.back(this.rep0) : -1;
    dictionary.put(coder.literal(this.model.literal, base, matchByte));
    this.state = stateAfterLiteral(this.state);
  }

  /** A match's distance minus one; `length` is the match length minus two. */
  private decodeDistance(length: number): number {
    const { coder } = this;
    const lengthState = Math.min(length, LENGTH_TO_POSITION_STATES - 1);
    const slot = coder.tree(this.model.positionSlot, lengthState << 6, 6);
    if (slot < 4) return slot;
    const directBits = (slot >>> 1) - 1;
    const distance = (2 | (slot & 1)) * 2 ** directBits;
    if (slot < END_POSITION_MODEL_INDEX)
      return distance + coder.reverseTree(this.model.positionSpecial, distance - slot, directBits);
    return (
      distance +
      coder.direct(directBits - ALIGN_BITS) * (1 << ALIGN_BITS) +
      coder.reverseTree(this.model.align, 0, ALIGN_BITS)
    );
  }
}
