import { type ListingFact, unquoteEtag } from '../layout/listing-facts.js';
import { hash53 } from './hash53.js';
import { Float64Column, SizeColumn, Uint32Column } from './number-columns.js';

/** Facts per slot of the hash index, on average: a short scan, and 1 byte of offsets a fact. */
const FACTS_PER_SLOT = 4;

/**
 * Matches deltas with the listing facts that tell their originals, when an inventory lists
 * them in any order (facts before or after their deltas, in other files). Both sides are kept
 * as numbers only: a fact is a hash of its stored key, ETag and size, that size and its
 * original size (16 bytes); a delta is the same hash and its deltaspace's number (12 bytes).
 * `resolve` indexes the facts by hash (5 bytes more a fact) and looks every delta up.
 *
 * A fact applies to a delta with the same key, ETag and size, as in a listing; without an ETag
 * column the key and size must match. Two facts for one object that disagree cancel out.
 */
export class FactsJoin {
  private readonly factHashes = new Float64Column();
  private readonly factSizes = new SizeColumn();
  private readonly factOriginals = new SizeColumn();
  private readonly deltaHashes = new Float64Column();
  private readonly deltaGroups = new Uint32Column();

  /** `etagsListed`: whether the inventory has an ETag column (both sides then match on it). */
  constructor(private readonly etagsListed: boolean) {}

  get facts(): number {
    return this.factHashes.length;
  }

  addFact(fact: ListingFact): void {
    this.factHashes.push(this.identity(fact.storedKey, fact.storedEtag, fact.storedSize));
    this.factSizes.push(fact.storedSize);
    this.factOriginals.push(fact.originalSize);
  }

  /** A delta of group `group` (its deltaspace's number). */
  addDelta(key: string, etag: string | undefined, size: number, group: number): void {
    this.deltaHashes.push(this.identity(key, etag ?? '', size));
    this.deltaGroups.push(group);
  }

  /** Calls `found` for every delta a fact tells the original of. */
  resolve(found: (group: number, deltaSize: number, originalSize: number) => void): void {
    if (this.facts === 0) return;
    const index = this.indexFacts();
    for (let delta = 0; delta < this.deltaHashes.length; delta++) {
      const fact = this.factOf(index, this.deltaHashes.at(delta));
      if (fact !== undefined)
        found(this.deltaGroups.at(delta), this.factSizes.at(fact), this.factOriginals.at(fact));
    }
  }

  private identity(key: string, etag: string, size: number): number {
    return hash53(key, this.etagsListed ? unquoteEtag(etag) : '', String(size));
  }

  /**
   * The facts bucketed by the low bits of their hashes (a counting sort): slot `s` holds facts
   * `order[starts[s]]` to `order[starts[s + 1] - 1]`.
   */
  private indexFacts(): FactsIndex {
    const count = this.facts;
    const bits = Math.max(1, Math.ceil(Math.log2(count / FACTS_PER_SLOT)));
    const mask = 2 ** bits - 1;
    const starts = new Uint32Array(mask + 2);
    for (let fact = 0; fact < count; fact++) starts[(this.factHashes.at(fact) & mask) + 1]!++;
    for (let slot = 1; slot < starts.length; slot++) starts[slot]! += starts[slot - 1]!;
    const order = new Uint32Array(count);
    const filled = starts.slice(0, mask + 1);
    for (let fact = 0; fact < count; fact++)
      order[filled[this.factHashes.at(fact) & mask]!++] = fact;
    return { mask, starts, order };
  }

  /** The fact of this hash, when there is exactly one or all of them agree. */
  private factOf(index: FactsIndex, hash: number): number | undefined {
    const slot = hash & index.mask;
    let match: number | undefined;
    for (let position = index.starts[slot]!; position < index.starts[slot + 1]!; position++) {
      const fact = index.order[position]!;
      if (this.factHashes.at(fact) !== hash) continue;
      if (match !== undefined && this.factOriginals.at(match) !== this.factOriginals.at(fact))
        return undefined;
      match = fact;
    }
    return match;
  }
}

interface FactsIndex {
  readonly mask: number;
  readonly starts: Uint32Array;
  readonly order: Uint32Array;
}
