import { type ListingFact, unquoteEtag } from '../layout/listing-facts.js';
import { hash53 } from './hash53.js';
import { Float64Column, SizeColumn, Uint32Column } from './number-columns.js';

/** Facts per slot of the hash index, on average: a short scan, and 1 byte of offsets a fact. */
const FACTS_PER_SLOT = 4;

/** Facts seen before the index is built over them: the index is rebuilt as they double. */
const FIRST_INDEX_FACTS = 1 << 16;

/**
 * Matches deltas with the listing facts that tell their originals, when an inventory lists
 * them in any order (facts before or after their deltas, in other files). Facts are kept as
 * numbers only: a hash of the stored key, ETag and size, and the original size (12 bytes),
 * indexed by hash (5 bytes more). A delta whose fact is already indexed is answered at once;
 * the others wait as the same hash and their size (12 bytes) and their deltaspace's number (a
 * run of them: 8 bytes a deltaspace when they come a deltaspace at a time) until `resolve`.
 * The stored size is kept on the deltas' side, not the facts': in S3 Inventory's key order
 * no delta waits, while every fact is held to the end. S3 Inventory lists keys in order, `.dg/facts/` before most keys, so most deltas
 * never wait.
 *
 * A fact applies to a delta with the same key, ETag and size, as in a listing; without an ETag
 * column the key and size must match. Two facts for one object that disagree cancel out,
 * unless the first answered a delta before the second was read.
 */
export class FactsJoin {
  private readonly factHashes = new Float64Column();
  private readonly factOriginals = new SizeColumn();
  private readonly waitingHashes = new Float64Column();
  private readonly waitingSizes = new SizeColumn();
  /**
   * The waiting deltas' groups, run-length encoded: deltas from `runStarts[r]` on are of group
   * `runGroups[r]`. Rows come a deltaspace at a time, so a run is a whole deltaspace.
   */
  private readonly runStarts = new Uint32Column();
  private readonly runGroups = new Uint32Column();
  private index: FactsIndex | undefined;

  /**
   * `etagsListed`: whether the inventory has an ETag column (both sides then match on it).
   * `firstIndexAt`: how many facts are indexed first (tests index early).
   */
  constructor(
    private readonly etagsListed: boolean,
    private readonly firstIndexAt = FIRST_INDEX_FACTS,
  ) {}

  get facts(): number {
    return this.factHashes.length;
  }

  addFact(fact: ListingFact): void {
    this.factHashes.push(this.identity(fact.storedKey, fact.storedEtag, fact.storedSize));
    this.factOriginals.push(fact.originalSize);
  }

  /**
   * A delta of group `group` (its deltaspace's number): its original when an indexed fact
   * tells it now; otherwise it waits for `resolve`.
   */
  addDelta(key: string, etag: string | undefined, size: number, group: number): number | undefined {
    const hash = this.identity(key, etag ?? '', size);
    const unindexed = this.facts - (this.index?.count ?? 0);
    if (unindexed > 0 && unindexed >= Math.max(this.firstIndexAt, this.index?.count ?? 0))
      this.index = this.indexFacts();
    const fact = this.index && this.factOf(this.index, hash);
    if (fact !== undefined) return this.factOriginals.at(fact);
    const runs = this.runGroups.length;
    if (runs === 0 || this.runGroups.at(runs - 1) !== group) {
      this.runStarts.push(this.waitingHashes.length);
      this.runGroups.push(group);
    }
    this.waitingHashes.push(hash);
    this.waitingSizes.push(size);
    return undefined;
  }

  /** Calls `found` for every waiting delta a fact tells the original of. */
  resolve(found: (group: number, deltaSize: number, originalSize: number) => void): void {
    if (this.facts === 0) return;
    if (this.index?.count !== this.facts) this.index = this.indexFacts();
    const { index } = this;
    let run = -1;
    for (let delta = 0; delta < this.waitingHashes.length; delta++) {
      while (run + 1 < this.runStarts.length && this.runStarts.at(run + 1) <= delta) run++;
      const fact = this.factOf(index, this.waitingHashes.at(delta));
      if (fact !== undefined)
        found(this.runGroups.at(run), this.waitingSizes.at(delta), this.factOriginals.at(fact));
    }
  }

  private identity(key: string, etag: string, size: number): number {
    return hash53(key, this.etagsListed ? unquoteEtag(etag) : '', String(size));
  }

  /**
   * The facts so far bucketed by the low bits of their hashes (a counting sort): slot `s`
   * holds facts `order[starts[s]]` to `order[starts[s + 1] - 1]`.
   */
  private indexFacts(): FactsIndex {
    this.index = undefined;
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
    return { count, mask, starts, order };
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
  /** How many facts (the first ones) it covers. */
  readonly count: number;
  readonly mask: number;
  readonly starts: Uint32Array;
  readonly order: Uint32Array;
}
