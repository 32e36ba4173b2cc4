import type { ObjectSummary } from '../ports/object-store.js';

/** What validates a cache: the listing's count, bytes and a digest of every (key, size, ETag). */
export interface ListingSummary {
  readonly objectCount: number;
  readonly listedBytes: number;
  readonly fingerprint: string;
}

/**
 * Four independent 32-bit hashes of a string (murmur3-style mixing with four seeds): 128 bits
 * computed in plain JavaScript, about ten times faster than a crypto hash call per object.
 * Not for adversaries: anyone who can write the cache can write anything; this detects change.
 */
function hash128(text: string): [number, number, number, number] {
  let h1 = 0x9747b28c;
  let h2 = 0x85ebca6b;
  let h3 = 0xc2b2ae35;
  let h4 = 0x27d4eb2f;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ unit, 0xcc9e2d51);
    h1 = (h1 << 15) | (h1 >>> 17);
    h2 = Math.imul(h2 ^ unit, 0x1b873593);
    h2 = (h2 << 13) | (h2 >>> 19);
    h3 = Math.imul(h3 ^ unit, 0x38b34ae5);
    h3 = (h3 << 17) | (h3 >>> 15);
    h4 = Math.imul(h4 ^ unit, 0xa1e38b93);
    h4 = (h4 << 11) | (h4 >>> 21);
  }
  return [finalize(h1 ^ text.length), finalize(h2 ^ h1), finalize(h3 ^ h2), finalize(h4 ^ h3)];
}

/** murmur3's avalanche: every input bit affects every output bit. */
function finalize(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Accumulates a listing fingerprint: the sum, modulo 2^128, of a 128-bit hash of each entry
 * (key, size, ETag).
 * A sum does not depend on order, so listings split into ranges and listed concurrently
 * merge into the same fingerprint; any added, removed or rewritten object changes it.
 */
export class ListingFingerprint {
  private objectCount = 0;
  private listedBytes = 0;
  // The 128-bit sum as four 32-bit words, most significant first: plain numbers, no BigInt.
  private readonly words = [0, 0, 0, 0];

  add(object: ObjectSummary): void {
    this.addWords(hash128(`${object.key}\0${object.size}\0${object.etag}`));
    this.objectCount++;
    this.listedBytes += object.size;
  }

  merge(other: ListingFingerprint): void {
    this.addWords(other.words);
    this.objectCount += other.objectCount;
    this.listedBytes += other.listedBytes;
  }

  summary(): ListingSummary {
    return {
      objectCount: this.objectCount,
      listedBytes: this.listedBytes,
      fingerprint: `v2:${this.words.map((word) => word.toString(16).padStart(8, '0')).join('')}`,
    };
  }

  private addWords(addend: readonly number[]): void {
    let carry = 0;
    for (let index = 3; index >= 0; index--) {
      const total = this.words[index]! + addend[index]! + carry;
      this.words[index] = total >>> 0;
      carry = total > 0xffffffff ? 1 : 0;
    }
  }
}
