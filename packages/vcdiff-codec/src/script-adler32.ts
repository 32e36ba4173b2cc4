/** Adler-32's modulus: the largest prime below 2^16. */
export const ADLER_MOD = 65521;
/** Words per block: each 16-bit lane of a block's sums then holds at most 256 x 255 < 2^16. */
const BLOCK_WORDS = 256;

/**
 * Adler-32 (RFC 1950), as xdelta3 checks each target window with it. Four bytes at a time:
 * a block of up to 256 little-endian words is summed in two registers of two 16-bit lanes each
 * (bytes 0 and 2 of each word in one, 1 and 3 in the other), and the running sum `b` follows
 * from those lane sums and the words' own sums (every byte counted once per byte after it in
 * the block). Twice as fast as a byte at a time, whose every step waited for the last: it runs
 * over every byte of every window, encoding and decoding (64 MB in a microbenchmark: 61 -> 30 ms;
 * a profile had put it at 50 ms of pdfjs-dist's decode).
 */
export function scriptAdler32(bytes: Uint8Array): number {
  const words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let a = 1;
  let b = 0;
  let at = 0;
  while (bytes.length - at >= 4) {
    const count = Math.min((bytes.length - at) >>> 2, BLOCK_WORDS);
    const end = at + 4 * count;
    let evenLanes = 0; // bytes 0 and 2 of each word
    let oddLanes = 0; // bytes 1 and 3
    let sum = 0; // every byte of the block so far
    let sumsBefore = 0; // over the words, `sum` before each: each byte once per later word
    for (; at < end; at += 4) {
      const word = words.getUint32(at, true);
      const even = word & 0x00ff00ff;
      const odd = (word >>> 8) & 0x00ff00ff;
      sumsBefore = (sumsBefore + sum) | 0;
      sum = (sum + (even & 0xffff) + (even >>> 16) + (odd & 0xffff) + (odd >>> 16)) | 0;
      evenLanes = (evenLanes + even) | 0;
      oddLanes = (oddLanes + odd) | 0;
    }
    // Within its word, byte 0 is counted 4 times (itself and the 3 after it), byte 3 once.
    const inWords =
      4 * (evenLanes & 0xffff) +
      3 * (oddLanes & 0xffff) +
      2 * (evenLanes >>> 16) +
      (oddLanes >>> 16);
    b = (b + 4 * count * a + 4 * sumsBefore + inWords) % ADLER_MOD;
    a = (a + sum) % ADLER_MOD;
  }
  for (; at < bytes.length; at++) {
    a = (a + bytes[at]!) % ADLER_MOD;
    b = (b + a) % ADLER_MOD;
  }
  return ((b << 16) | a) >>> 0;
}
