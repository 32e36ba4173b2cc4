import { BlockHash } from './block-hash.js';

// RFC 1321: per-round shift amounts, and the sines table (floor(abs(sin(i + 1)) * 2^32)).
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const SINES = Uint32Array.from({ length: 64 }, (_, index) =>
  Math.floor(Math.abs(Math.sin(index + 1)) * 2 ** 32),
);

/** MD5 in plain TypeScript: the ETag a plain PUT of a body gets, which listing facts carry. */
export class Md5 extends BlockHash {
  protected readonly bigEndian = false;
  private readonly words = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
  private readonly message = new Uint32Array(16);

  protected state(): Uint32Array {
    return this.words;
  }

  protected compress(block: DataView): void {
    const m = this.message;
    for (let index = 0; index < 16; index++) m[index] = block.getUint32(index * 4, true);
    const state = this.words;
    let a = at(state, 0);
    let b = at(state, 1);
    let c = at(state, 2);
    let d = at(state, 3);
    for (let step = 0; step < 64; step++) {
      const round = step >> 4;
      let mixed: number;
      let word: number;
      if (round === 0) {
        mixed = (b & c) | (~b & d);
        word = step;
      } else if (round === 1) {
        mixed = (d & b) | (~d & c);
        word = (5 * step + 1) & 15;
      } else if (round === 2) {
        mixed = b ^ c ^ d;
        word = (3 * step + 5) & 15;
      } else {
        mixed = c ^ (b | ~d);
        word = (7 * step) & 15;
      }
      const shift = SHIFTS[(round << 2) | (step & 3)] as number;
      const sum = (a + mixed + at(SINES, step) + at(m, word)) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
    }
    [a, b, c, d].forEach((value, index) => {
      state[index] = at(state, index) + value;
    });
  }
}

function at(array: Uint32Array, index: number): number {
  return array[index] as number;
}
