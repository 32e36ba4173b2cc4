import { createHash } from 'node:crypto';
import type { ObjectSummary } from '../ports/object-store.js';

/** What validates a cache: the listing's count, bytes and a digest of every (key, size, ETag). */
export interface ListingSummary {
  readonly objectCount: number;
  readonly listedBytes: number;
  readonly fingerprint: string;
}

const MODULUS = 1n << 128n;

/**
 * Accumulates a listing fingerprint: the sum, modulo 2^128, of a 128-bit hash of each entry.
 * A sum does not depend on order, so listings split into ranges and listed concurrently
 * merge into the same fingerprint; any added, removed or rewritten object changes it.
 */
export class ListingFingerprint {
  private objectCount = 0;
  private listedBytes = 0;
  private sum = 0n;

  add(object: ObjectSummary): void {
    const digest = createHash('sha256')
      .update(`${object.key}\0${object.size}\0${object.etag}`)
      .digest();
    this.sum =
      (this.sum + digest.readBigUInt64BE(0) * (1n << 64n) + digest.readBigUInt64BE(8)) % MODULUS;
    this.objectCount++;
    this.listedBytes += object.size;
  }

  merge(other: ListingFingerprint): void {
    this.sum = (this.sum + other.sum) % MODULUS;
    this.objectCount += other.objectCount;
    this.listedBytes += other.listedBytes;
  }

  summary(): ListingSummary {
    return {
      objectCount: this.objectCount,
      listedBytes: this.listedBytes,
      fingerprint: `v1:${this.sum.toString(16).padStart(32, '0')}`,
    };
  }
}
