import type { ObjectSummary } from '../ports/object-store.js';

/** What validates a cache: the listing's count, bytes and a digest of every (key, size, ETag). */
export interface ListingSummary {
  readonly objectCount: number;
  readonly listedBytes: number;
  readonly fingerprint: string;
}

/** S3's default storage class, assumed where a listing names none. */
export const STANDARD = 'STANDARD';

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

  /**
   * Adds a 128-bit hash of (key, size, ETag): four independent 32-bit lanes with murmur3-style
   * mixing, fed the key's and the ETag's code units and the size, without building a string
   * (this runs once per listed object). It detects change, not forgery: whoever can write the
   * cache can write any numbers.
   */
  add(object: ObjectSummary): void {
    let h1 = 0x9747b28c;
    let h2 = 0x85ebca6b;
    let h3 = 0xc2b2ae35;
    let h4 = 0x27d4eb2f;
    const mix = (unit: number) => {
      h1 = Math.imul(h1 ^ unit, 0xcc9e2d51);
      h1 = (h1 << 15) | (h1 >>> 17);
      h2 = Math.imul(h2 ^ unit, 0x1b873593);
      h2 = (h2 << 13) | (h2 >>> 19);
      h3 = Math.imul(h3 ^ unit, 0x38b34ae5);
      h3 = (h3 << 17) | (h3 >>> 15);
      h4 = Math.imul(h4 ^ unit, 0xa1e38b93);
      h4 = (h4 << 11) | (h4 >>> 21);
    };
    const { key, etag, size } = object;
    for (let index = 0; index < key.length; index++) mix(key.charCodeAt(index));
    // Separators and both halves of the size keep (key, size, etag) boundaries unambiguous.
    mix(0x10000);
    mix(size % 0x100000000);
    mix(Math.floor(size / 0x100000000) + 0x20000);
    for (let index = 0; index < etag.length; index++) mix(etag.charCodeAt(index));
    // A storage class other than the default counts too: a lifecycle transition keeps the
    // ETag but changes what the bytes cost. STANDARD adds nothing, so fingerprints of
    // listings that name no class (or only STANDARD) are the ones caches already hold.
    const storageClass = object.storageClass ?? STANDARD;
    if (storageClass !== STANDARD) {
      mix(0x30000);
      for (let index = 0; index < storageClass.length; index++) mix(storageClass.charCodeAt(index));
    }
    const length = key.length + etag.length;
    this.addLanes(finalize(h1 ^ length), finalize(h2 ^ h1), finalize(h3 ^ h2), finalize(h4 ^ h3));
    this.objectCount++;
    this.listedBytes += size;
  }

  merge(other: ListingFingerprint): void {
    const [a, b, c, d] = other.words as [number, number, number, number];
    this.addLanes(a, b, c, d);
    this.objectCount += other.objectCount;
    this.listedBytes += other.listedBytes;
  }

  summary(): ListingSummary {
    return {
      objectCount: this.objectCount,
      listedBytes: this.listedBytes,
      fingerprint: `v3:${this.words.map((word) => word.toString(16).padStart(8, '0')).join('')}`,
    };
  }

  private addLanes(a: number, b: number, c: number, d: number): void {
    const words = this.words;
    let total = words[3]! + d;
    words[3] = total >>> 0;
    total = words[2]! + c + (total > 0xffffffff ? 1 : 0);
    words[2] = total >>> 0;
    total = words[1]! + b + (total > 0xffffffff ? 1 : 0);
    words[1] = total >>> 0;
    total = words[0]! + a + (total > 0xffffffff ? 1 : 0);
    words[0] = total >>> 0;
  }
}
