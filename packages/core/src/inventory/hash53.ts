/**
 * A 53-bit hash of some strings (as one, with a separator between them): two 32-bit
 * multiply-xorshift lanes over the UTF-16 code units, mixed at the end. Not cryptographic: it
 * names facts and deltas in a join, where two different objects share a hash with
 * probability about n / 2^53 per look-up.
 */
export function hash53(...parts: readonly string[]): number {
  let a = 0x2545f491;
  let b = 0x6b43a9b5;
  for (let part = 0; part < parts.length; part++) {
    const text = parts[part]!;
    for (let index = 0; index < text.length; index++) {
      const unit = text.charCodeAt(index);
      a = Math.imul(a ^ unit, 0x9e3779b1);
      b = Math.imul(b ^ unit, 0x85ebca77);
      b = (b << 13) | (b >>> 19);
    }
    // The separator: ("ab", "c") and ("a", "bc") must differ.
    a = Math.imul(a ^ 0xffff, 0x9e3779b1);
    b = Math.imul(b ^ 0x1ffff, 0x85ebca77);
  }
  a ^= a >>> 15;
  a = Math.imul(a ^ b, 0x2c1b3c6d);
  b ^= b >>> 16;
  b = Math.imul(b ^ a, 0x297a2d39);
  a ^= a >>> 13;
  b ^= b >>> 15;
  return (b & 0x1fffff) * 0x100000000 + (a >>> 0);
}
