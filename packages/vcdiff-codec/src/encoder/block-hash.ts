/**
 * The fingerprint matches are found by: a polynomial hash of BLOCK bytes that rolls one byte at a
 * time along the target, and is computed outright at the source's sampled positions.
 */
export const BLOCK = 16;
export const MULTIPLIER = 0x01000193;
/** MULTIPLIER to the power BLOCK - 1, modulo 2^32: what the byte leaving the block weighed. */
const LEAVING_WEIGHT = (() => {
  let weight = 1;
  for (let step = 1; step < BLOCK; step++) weight = Math.imul(weight, MULTIPLIER);
  return weight;
})();

/** MULTIPLIER to the power `exponent`, modulo 2^32. */
export function weight(exponent: number): number {
  let result = 1;
  for (let step = 0; step < exponent; step++) result = Math.imul(result, MULTIPLIER);
  return result;
}

export function hashBlock(bytes: Uint8Array, at: number): number {
  let hash = 0;
  for (let index = at; index < at + BLOCK; index++)
    hash = (Math.imul(hash, MULTIPLIER) + bytes[index]!) | 0;
  return hash;
}

/** The hash of the block one byte further on. */
export function rollHash(hash: number, leaving: number, entering: number): number {
  return (Math.imul(hash - Math.imul(leaving, LEAVING_WEIGHT), MULTIPLIER) + entering) | 0;
}

/** A table slot for a hash: its top bits after mixing (a Fibonacci hash), `32 - bits` shifted out. */
export function slotOf(hash: number, shift: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> shift;
}
