import type { ByteReader } from './byte-reader.js';
import { CodecError } from './codec-error.js';

const NEAR = 4;
const SAME = 3;

/** RFC 3284 section 5.3: the near and same caches that make COPY addresses short. */
export class AddressCache {
  private readonly near = new Float64Array(NEAR);
  private nextSlot = 0;
  private readonly same = new Float64Array(SAME * 256);

  /** Decodes the address of a COPY at `here` (source length plus target bytes so far). */
  decode(mode: number, here: number, addresses: ByteReader): number {
    let address: number;
    if (mode === 0) address = addresses.varint();
    else if (mode === 1) address = here - addresses.varint();
    else if (mode - 2 < NEAR) address = this.near[mode - 2]! + addresses.varint();
    else if (mode - 2 - NEAR < SAME)
      address = this.same[(mode - 2 - NEAR) * 256 + addresses.byte()]!;
    else throw new CodecError(`not a VCDIFF delta: address mode ${mode}`);
    if (address < 0 || address >= here)
      throw new CodecError(`not a VCDIFF delta: a COPY from ${address}, at or past ${here}`);
    this.near[this.nextSlot] = address;
    this.nextSlot = (this.nextSlot + 1) % NEAR;
    this.same[address % (SAME * 256)] = address;
    return address;
  }
}
