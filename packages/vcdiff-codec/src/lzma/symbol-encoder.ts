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
import type { RangeEncoder } from './range-encoder.js';

/** A match length minus MATCH_MIN_LENGTH, as `decodeLength` reads it. */
function encodeLength(
  coder: RangeEncoder,
  model: LengthModel,
  length: number,
  positionState: number,
): void {
  if (length < 8) {
    coder.bit(model.choice, 0, 0);
    coder.tree(model.low, positionState << 3, 3, length);
  } else if (length < 16) {
    coder.bit(model.choice, 0, 1);
    coder.bit(model.choice, 1, 0);
    coder.tree(model.middle, positionState << 3, 3, length - 8);
  } else {
    coder.bit(model.choice, 0, 1);
    coder.bit(model.choice, 1, 1);
    coder.tree(model.high, 0, 8, length - 16);
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
  private readonly model = new LzmaModel();
  readonly positionMask: number;
  state = 0;
  /** The last four distances (each minus one), most recent first. */
  readonly reps = [0, 0, 0, 0];

  constructor(
    private readonly coder: RangeEncoder,
    private readonly properties: LzmaProperties,
  ) {
    this.model.fit(properties);
    this.positionMask = (1 << properties.positionBits) - 1;
    this.resetState();
  }

  resetState(): void {
    this.state = 0;
    this.reps.fill(0);
    this.model.reset();
  }

  /**
   * A literal at stream `position`, after `previous`; right after a match it is coded against
   * `matchByte`, the byte at the last distance, as the decoder expects.
   */
  literal(byte: number, position: number, previous: number, matchByte: number): void {
    const { coder } = this;
    coder.bit(this.model.isMatch, (this.state << 4) + (position & this.positionMask), 0);
    const base = literalBase(this.properties, position, previous);
    let symbol = 1;
    let level = 7;
    if (this.state >= FIRST_STATE_AFTER_MATCH) {
      for (; level >= 0; level--) {
        const matchBit = (matchByte >>> level) & 1;
        const bit = (byte >>> level) & 1;
        coder.bit(this.model.literal, base + ((1 + matchBit) << 8) + symbol, bit);
        symbol = (symbol << 1) | bit;
        if (matchBit !== bit) {
          level--;
          break;
        }
      }
    }
    for (; level >= 0; level--) {
      const bit = (byte >>> level) & 1;
      coder.bit(this.model.literal, base + symbol, bit);
      symbol = (symbol << 1) | bit;
    }
    this.state = stateAfterLiteral(this.state);
  }

  /** A match at a new `distance` (minus one) of `length` bytes. */
  match(distance: number, length: number, position: number): void {
    const { coder } = this;
    const positionState = position & this.positionMask;
    coder.bit(this.model.isMatch, (this.state << 4) + positionState, 1);
    coder.bit(this.model.isRep, this.state, 0);
    const coded = length - MATCH_MIN_LENGTH;
    encodeLength(coder, this.model.lengths, coded, positionState);
    const slot = slotOf(distance);
    const lengthState = Math.min(coded, LENGTH_TO_POSITION_STATES - 1);
    coder.tree(this.model.positionSlot, lengthState << 6, 6, slot);
    if (slot >= 4) {
      const footerBits = (slot >>> 1) - 1;
      const base = (2 | (slot & 1)) << footerBits;
      const reduced = distance - base;
      if (slot < END_POSITION_MODEL_INDEX)
        coder.reverseTree(this.model.positionSpecial, base - slot, footerBits, reduced);
      else {
        coder.direct(reduced >>> ALIGN_BITS, footerBits - ALIGN_BITS);
        coder.reverseTree(this.model.align, 0, ALIGN_BITS, reduced & ((1 << ALIGN_BITS) - 1));
      }
    }
    const reps = this.reps;
    reps[3] = reps[2]!;
    reps[2] = reps[1]!;
    reps[1] = reps[0]!;
    reps[0] = distance;
    this.state = stateAfterMatch(this.state);
  }

  /** A match of `length` bytes at the `index`-th last distance (0-3). */
  rep(index: number, length: number, position: number): void {
    const { coder, state, reps } = this;
    const positionState = position & this.positionMask;
    coder.bit(this.model.isMatch, (state << 4) + positionState, 1);
    coder.bit(this.model.isRep, state, 1);
    if (index === 0) {
      coder.bit(this.model.isRepG0, state, 0);
      coder.bit(this.model.isRep0Long, (state << 4) + positionState, 1);
    } else {
      coder.bit(this.model.isRepG0, state, 1);
      const distance = reps[index]!;
      if (index === 1) coder.bit(this.model.isRepG1, state, 0);
      else {
        coder.bit(this.model.isRepG1, state, 1);
        coder.bit(this.model.isRepG2, state, index - 2);
        if (index === 3) reps[3] = reps[2]!;
        reps[2] = reps[1]!;
      }
      reps[1] = reps[0]!;
      reps[0] = distance;
    }
    encodeLength(coder, this.model.repeatLengths, length - MATCH_MIN_LENGTH, positionState);
    this.state = stateAfterRep(state);
  }

  /** One byte repeated from the last distance. */
  shortRep(position: number): void {
    const { coder, state } = this;
    const positionState = position & this.positionMask;
    coder.bit(this.model.isMatch, (state << 4) + positionState, 1);
    coder.bit(this.model.isRep, state, 1);
    coder.bit(this.model.isRepG0, state, 0);
    coder.bit(this.model.isRep0Long, (state << 4) + positionState, 0);
    this.state = stateAfterShortRep(state);
  }
}
