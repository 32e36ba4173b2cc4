import { varintLength } from '../byte-writer.js';

const NEAR = 4;
const SAME = 3;

export interface EncodedAddress {
  readonly mode: number;
  readonly value: number;
  /** A same-cache mode: the value is one byte, not a varint. */
  readonly single: boolean;
}

/**
 * The encoder's half of RFC 3284's address caches (section 5.3): picks the mode that writes an
 * address in the fewest bytes, and updates the caches exactly as the decoder will.
 */
export class AddressEncoder {
  private readonly near = new Float64Array(NEAR);
  private nextSlot = 0;
  private readonly same = new Float64Array(SAME * 256);

  encode(address: number, here: number): EncodedAddress {
    let mode = 0;
    let value = address;
    let bestLength = varintLength(address);
    const self = here - address;
    if (varintLength(self) < bestLength) {
      mode = 1;
      value = self;
      bestLength = varintLength(self);
    }
    for (let slot = 0; slot < NEAR; slot++) {
      const offset = address - this.near[slot]!;
      if (offset >= 0 && varintLength(offset) < bestLength) {
        mode = 2 + slot;
        value = offset;
        bestLength = varintLength(offset);
      }
    }
    let best: EncodedAddress = { mode, value, single: false };
    const sameIndex = address % (SAME * 256);
    if (this.same[sameIndex] === address && bestLength > 1)
      best = { mode: 2 + NEAR + (sameIndex >>> 8), value: sameIndex & 0xff, single: true };
    this.near[this.nextSlot] = address;
    this.nextSlot = (this.nextSlot + 1) % NEAR;
    this.same[sameIndex] = address;
    return best;
  }
}
