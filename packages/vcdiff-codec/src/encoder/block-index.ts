import { BlockHash, joinPieces, slotOf, WORD_WEIGHT, weight, wordHash } from './block-hash.js';

/**
 * A hash index of reference positions: every `step`-th position starts a block of 4 steps whose
 * hash goes in a table, with a chain per position back to the previous one of the same slot.
 * Entries are absolute positions (position / step + 1, 0 for none), so they stay true whatever
 * buffer the bytes are read from; positions must be added in increasing order.
 */
export class BlockIndex {
  private readonly table: Uint32Array;
  /** Per indexed position (cyclic over `span / step` of them), the entry its slot held before it. */
  private readonly chain: Uint32Array;
  private readonly shift: number;
  /**
   * An entry's number takes the low `entryBits` of its table or chain value; the bits above
   * hold a check of its block's hash, so that a search skips a position whose block hashed
   * otherwise without reading its bytes (a cache miss per candidate, most of them collisions).
   */
  private readonly entryBits: number;
  private readonly entryMask: number;
  /** Blocks of 4 steps: a match of `block.size + step - 1` bytes is always found. */
  readonly block: BlockHash;
  private readonly chunkWeight: number;
  private readonly slots = new Uint32Array(1024);
  private readonly checks = new Uint32Array(1024);

  constructor(
    /** How many bytes it indexes at most at a time (older entries fall out of the chains). */
    span: number,
    readonly step: number,
    /** The size of the reference: its positions number the entries. */
    referenceSize: number,
  ) {
    // At most 31 bits: the check needs one at least (the encoder numbers at most 64 M entries).
    this.entryBits = Math.min(31, Math.ceil(Math.log2(referenceSize / step + 2)));
    this.entryMask = 2 ** this.entryBits - 1;
    if (referenceSize / step + 1 > this.entryMask)
      throw new RangeError(`an index cannot number ${referenceSize / step} positions`);
    this.block = new BlockHash(4 * step);
    this.chunkWeight = weight(step);
    const bits = Math.min(22, Math.max(10, Math.ceil(Math.log2(span / step + 1)) - 2));
    this.shift = 32 - bits;
    this.table = new Uint32Array(1 << bits);
    this.chain = new Uint32Array(2 ** Math.ceil(Math.log2(Math.max(1, span / step))));
  }

  /** Forgets every entry. */
  clear(): void {
    this.table.fill(0);
  }

  /**
   * Positions whose block hashed like `hash` and lies within `from`..`to`, latest first: at most
   * `depth` of them into `into`; returns how many.
   */
  candidates(hash: number, depth: number, into: number[], from: number, to: number): number {
    const { entryBits, entryMask } = this;
    const check = this.checkOf(hash);
    let value = this.table[slotOf(hash, this.shift)]!;
    let found = 0;
    for (let visited = 1; value !== 0; visited++) {
      const entry = value & entryMask;
      const position = (entry - 1) * this.step;
      if (position < from || position + this.block.size > to) break;
      // A block that hashed otherwise cannot start a match: not a candidate, but a link
      // walked all the same (the depth bounds the walk, as without checks).
      if (value >>> entryBits === check) into[found++] = position;
      // The chain is read only for a next candidate: each link is a cache miss.
      if (visited === depth) break;
      const previous = this.chain[(entry - 1) & (this.chain.length - 1)]!;
      if ((previous & entryMask) >= entry) break;
      value = previous;
    }
    return found;
  }

  /** The check of a block hash kept above an entry's number (independent of its slot). */
  private checkOf(hash: number): number {
    return Math.imul(hash, 0x85ebca6b) >>> this.entryBits;
  }

  /**
   * Indexes every step-th position from `from` to `to`, whose bytes `words` holds from reference
   * offset `start`. A block is 4 chunks of a step, so each chunk is hashed once and each block's
   * hash is combined from the last 4 chunks': one pass over the bytes, where hashing each block
   * outright would read every byte 4 times.
   */
  add(words: DataView, start: number, from: number, to: number): void {
    const { step, chunkWeight, slots, checks } = this;
    const blockSize = this.block.size;
    let filled = 0;
    let firstEntry = 0;
    let older = 0;
    let old = 0;
    let previous = 0;
    let seen = 0;
    for (let chunk = Math.ceil(from / step) * step; chunk + step <= to; chunk += step, seen++) {
      const at = chunk - start;
      let hash = 0;
      for (let index = at; index < at + step; index += 4)
        hash = (Math.imul(hash, WORD_WEIGHT) + wordHash(words.getInt32(index, true))) | 0;
      if (seen >= 3) {
        const block = joinPieces(older, old, previous, hash, chunkWeight);
        if (filled === 0) firstEntry = (chunk + step - blockSize) / step + 1;
        checks[filled] = this.checkOf(block);
        slots[filled++] = slotOf(block, this.shift);
        if (filled === slots.length) {
          this.link(firstEntry, filled);
          filled = 0;
        }
      }
      older = old;
      old = previous;
      previous = hash;
    }
    this.link(firstEntry, filled);
  }

  /**
   * Files `count` consecutive entries from `firstEntry` under the slots computed for them. Done
   * in batches, apart from the hashing, so the table's cache misses overlap instead of queueing
   * behind the arithmetic (measured: the index took most of an encode before).
   */
  private link(firstEntry: number, count: number): void {
    const { table, chain, slots, checks, entryBits } = this;
    const mask = chain.length - 1;
    for (let index = 0; index < count; index++) {
      const slot = slots[index]!;
      const entry = firstEntry + index;
      chain[(entry - 1) & mask] = table[slot]!;
      table[slot] = (entry | (checks[index]! << entryBits)) >>> 0;
    }
  }
}
