/**
 * The fingerprint matches are found by: a polynomial hash of `size` bytes that rolls one byte
 * at a time along the target, and is computed outright at the source's sampled positions.
 */
export const MULTIPLIER = 0x01000193;

/** MULTIPLIER to the power `exponent`, modulo 2^32. */
export function weight(exponent: number): number {
  let result = 1;
  for (let step = 0; step < exponent; step++) result = Math.imul(result, MULTIPLIER);
  return result;
}

export class BlockHash {
  /** MULTIPLIER to the power size - 1, modulo 2^32: what the byte leaving the block weighed. */
  private readonly leavingWeight: number;

  constructor(readonly size: number) {
    this.leavingWeight = weight(size - 1);
  }

  hash(bytes: Uint8Array, at: number): number {
    let hash = 0;
    for (let index = at; index < at + this.size; index++)
      hash = (Math.imul(hash, MULTIPLIER) + bytes[index]!) | 0;
    return hash;
  }

  /** The hash of the block one byte further on. */
  roll(hash: number, leaving: number, entering: number): number {
    return (Math.imul(hash - Math.imul(leaving, this.leavingWeight), MULTIPLIER) + entering) | 0;
  }
}

/**
 * The hash of four consecutive pieces of a block from the pieces' own hashes (`weight`:
 * MULTIPLIER to the power of a piece's length): the same as hashing the block outright, but
 * four chains of multiplications can run side by side.
 */
export function joinPieces(
  first: number,
  second: number,
  third: number,
  fourth: number,
  weight: number,
): number {
  return (
    (Math.imul((Math.imul((Math.imul(first, weight) + second) | 0, weight) + third) | 0, weight) +
      fourth) |
    0
  );
}

const WEIGHT_2 = weight(2);
const WEIGHT_3 = weight(3);
/** MULTIPLIER to the power 4: what the hash so far weighs when 4 more bytes join it. */
export const WORD_WEIGHT = weight(4);

/**
 * The hash of the 4 bytes of a little-endian `word` (as read by `DataView.getInt32(at, true)`),
 * the same as `BlockHash.hash` of those bytes: four independent products instead of a chain of
 * four multiplications, and one read instead of four. Indexing a reference hashes every byte of
 * it; byte by byte, every 4th position of a 64 MiB window took twice as long.
 */
export function wordHash(word: number): number {
  return (
    (Math.imul(word & 0xff, WEIGHT_3) +
      Math.imul((word >>> 8) & 0xff, WEIGHT_2) +
      Math.imul((word >>> 16) & 0xff, MULTIPLIER) +
      (word >>> 24)) |
    0
  );
}

/** A table slot for a hash: its top bits after mixing (a Fibonacci hash), `32 - bits` shifted out. */
export function slotOf(hash: number, shift: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> shift;
}
