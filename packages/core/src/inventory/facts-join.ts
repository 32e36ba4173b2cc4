import { type ListingFact, unquoteEtag } from '../layout/listing-facts.js';
import { hash53 } from './hash53.js';
import { Float64Column, Uint32Column } from './number-columns.js';

const TWO_TO_21 = 2 ** 21;

/**
 * Matches deltas with the listing facts that tell their originals, when an inventory lists
 * them in any order (facts before or after their deltas, in other files). Both sides are kept
 * as numbers only: a fact is a hash of its stored key, ETag and size plus its original size
 * (16 bytes); a delta is the same hash, its size and its deltaspace (20 bytes). `resolve`
 * sorts the facts by hash once and looks every delta up.
 *
 * A fact applies to a delta with the same key, ETag and size, as in a listing; without an ETag
 * column the key and size must match. Two facts for one object that disagree cancel out.
 */
export class FactsJoin {
  private readonly factHashes = new Float64Column();
  private readonly factOriginals = new Float64Column();
  private readonly deltaHashes = new Float64Column();
  private readonly deltaSizes = new Float64Column();
  private readonly deltaGroups = new Uint32Column();

  /** `etagsListed`: whether the inventory has an ETag column (both sides then match on it). */
  constructor(private readonly etagsListed: boolean) {}

  get facts(): number {
    return this.factHashes.length;
  }

  addFact(fact: ListingFact): void {
    this.factHashes.push(this.identity(fact.storedKey, fact.storedEtag, fact.storedSize));
    this.factOriginals.push(fact.originalSize);
  }

  /** A delta of group `group` (its deltaspace's number). */
  addDelta(key: string, etag: string | undefined, size: number, group: number): void {
    this.deltaHashes.push(this.identity(key, etag ?? '', size));
    this.deltaSizes.push(size);
    this.deltaGroups.push(group);
  }

  /** Calls `found` for every delta a fact tells the original of. */
  resolve(found: (group: number, deltaSize: number, originalSize: number) => void): void {
    if (this.facts === 0) return;
    const index = this.sortedFacts();
    for (let delta = 0; delta < this.deltaHashes.length; delta++) {
      const original = this.originalOf(index, this.deltaHashes.at(delta));
      if (original !== undefined)
        found(this.deltaGroups.at(delta), this.deltaSizes.at(delta), original);
    }
  }

  private identity(key: string, etag: string, size: number): number {
    return hash53(key, this.etagsListed ? unquoteEtag(etag) : '', String(size));
  }

  /**
   * The facts in hash order, as two arrays: each one's top 32 hash bits (to search) and its
   * number. Sorted natively as 64-bit integers `top << 32 | number`.
   */
  private sortedFacts(): { tops: Uint32Array; numbers: Uint32Array } {
    const count = this.facts;
    const packed = new BigUint64Array(count);
    for (let fact = 0; fact < count; fact++)
      packed[fact] =
        (BigInt(Math.floor(this.factHashes.at(fact) / TWO_TO_21)) << 32n) | BigInt(fact);
    packed.sort();
    const tops = new Uint32Array(count);
    const numbers = new Uint32Array(count);
    for (let position = 0; position < count; position++) {
      const value = packed[position]!;
      tops[position] = Number(value >> 32n);
      numbers[position] = Number(value & 0xffffffffn);
    }
    return { tops, numbers };
  }

  /** The one original the facts of this hash agree on, if any. */
  private originalOf(
    index: { tops: Uint32Array; numbers: Uint32Array },
    hash: number,
  ): number | undefined {
    const top = Math.floor(hash / TWO_TO_21);
    let low = 0;
    let high = index.tops.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (index.tops[middle]! < top) low = middle + 1;
      else high = middle;
    }
    let original: number | undefined;
    for (
      let position = low;
      position < index.tops.length && index.tops[position] === top;
      position++
    ) {
      const fact = index.numbers[position]!;
      if (this.factHashes.at(fact) !== hash) continue;
      const candidate = this.factOriginals.at(fact);
      if (original !== undefined && original !== candidate) return undefined;
      original = candidate;
    }
    return original;
  }
}
