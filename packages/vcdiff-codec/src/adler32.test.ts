import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adler32 } from './adler32.js';

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

describe('adler32', () => {
  it('gives the published value', () => {
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    expect(adler32(new Uint8Array(0))).toBe(1);
  });

  it('agrees with the definition at every length around its blocks and at any offset', () => {
    const bytes = randomBytes(70_000);
    for (const length of [1, 3, 4, 5, 7, 1023, 1024, 1025, 1027, 5552, 5553, 65_537]) {
      for (const offset of [0, 1, 3]) {
        const part = bytes.subarray(offset, offset + length);
        expect(adler32(part), `${length} bytes at ${offset}`).toBe(byteByByte(part));
      }
    }
  });

  it('does not overflow its lanes on the largest bytes', () => {
    // 0xff everywhere fills every 16-bit lane to 256 x 255 in a block, and the sums their most.
    for (const length of [1024, 1028, 300_001]) {
      const bytes = new Uint8Array(length).fill(0xff);
      expect(adler32(bytes), `${length} bytes`).toBe(byteByByte(bytes));
    }
  });
});
