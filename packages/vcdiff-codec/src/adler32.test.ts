import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { adler32, combineAdler32, SUMMED_PIECE } from './adler32.js';
import { scriptAdler32 } from './script-adler32.js';

/** RFC 1950's definition, a byte at a time. */
function byteByByte(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const MiB = 1 << 20;

// `adler32` sums large runs in WebAssembly, a piece at a time, and small ones (and all of them
// where WebAssembly cannot run) in TypeScript: each must agree with the definition.
describe.each([
  ['adler32', adler32],
  ['scriptAdler32', scriptAdler32],
])('%s', (_, sum) => {
  it('gives the published value', () => {
    expect(sum(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    expect(sum(new Uint8Array(0))).toBe(1);
  });

  it('agrees with the definition at every length around its blocks and at any offset', () => {
    const bytes = randomBytes(70_000);
    for (const length of [1, 3, 4, 5, 7, 1023, 1024, 1025, 1027, 5552, 5553, 65_535, 65_537]) {
      for (const offset of [0, 1, 3]) {
        const part = bytes.subarray(offset, offset + length);
        expect(sum(part), `${length} bytes at ${offset}`).toBe(byteByByte(part));
      }
    }
  });

  it('agrees with the definition around the pieces WebAssembly sums', () => {
    const bytes = randomBytes(2 * MiB + 100);
    const piece = SUMMED_PIECE;
    for (const length of [piece - 1, piece, piece + 1, piece + 17, 2 * piece + 99, 2 * MiB + 99])
      for (const offset of [0, 1]) {
        const part = bytes.subarray(offset, offset + length);
        expect(sum(part), `${length} bytes at ${offset}`).toBe(byteByByte(part));
      }
  });

  it('does not overflow its lanes on the largest bytes', () => {
    // 0xff everywhere fills every 16-bit lane to 256 x 255 in a block, and the sums their most.
    for (const length of [1024, 1028, 300_001, 3 * MiB + 5]) {
      const bytes = new Uint8Array(length).fill(0xff);
      expect(sum(bytes), `${length} bytes`).toBe(byteByByte(bytes));
    }
  });
});

describe('combineAdler32', () => {
  it('is the sum of two runs one after the other, for any split', () => {
    const bytes = randomBytes(10_000);
    bytes.fill(0xff, 0, 3000); // sums near the modulus too
    for (const split of [0, 1, 2999, 3000, 5000, 9_999, 10_000]) {
      const first = bytes.subarray(0, split);
      const second = bytes.subarray(split);
      expect(
        combineAdler32(byteByByte(first), byteByByte(second), second.length),
        `split at ${split}`,
      ).toBe(byteByByte(bytes));
    }
  });

  it('holds for a second run longer than the modulus', () => {
    const bytes = randomBytes(200_000);
    const second = bytes.subarray(7);
    expect(
      combineAdler32(byteByByte(bytes.subarray(0, 7)), byteByByte(second), second.length),
    ).toBe(byteByByte(bytes));
  });
});

describe('adler32 without WebAssembly', () => {
  it('sums in TypeScript', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      const fresh = await import('./adler32.js');
      const bytes = randomBytes(MiB + 3);
      expect(fresh.adler32(bytes)).toBe(byteByByte(bytes));
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});
