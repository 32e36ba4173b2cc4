import type { ByteSource } from '../byte-source.js';
import { readRangeInto } from '../read-range.js';
import { BlockHash, joinPieces, slotOf, WORD_WEIGHT, weight, wordHash } from './block-hash.js';

/**
 * The part of the reference the encoder matches against, like xdelta3's source window (-B): at
 * most `capacity` bytes held in memory, moved along the reference as the target advances. Its
 * hash index stores absolute positions, so entries stay true however the window moves; only
 * bytes newly read are hashed.
 */
export class SourceWindow {
  private readonly buffer: Uint8Array;
  /** The buffer read 4 bytes at a time, for hashing (steps are multiples of 4). */
  private readonly words: DataView;
  private readonly table: Uint32Array;
  /** Per indexed position (cyclic over the window), the entry its slot held before it. */
  private readonly chain: Uint32Array;
  private readonly bits: number;
  /** Blocks of 4 steps: a match of `block.size + step - 1` bytes is always found. */
  readonly block: BlockHash;
  private readonly chunkWeight: number;
  private readonly slots = new Uint32Array(1024);
  /** The reference offset of `buffer[0]`, and how many bytes the buffer holds. */
  start = 0;
  length = 0;

  constructor(
    private readonly reference: ByteSource,
    capacity: number,
    /** Every `step`-th reference position is indexed (the index's sampling). */
    private readonly step = 4,
  ) {
    this.block = new BlockHash(4 * step);
    this.chunkWeight = weight(step);
    this.buffer = new Uint8Array(Math.min(capacity, reference.size));
    this.words = new DataView(this.buffer.buffer);
    this.bits = Math.min(22, Math.max(10, Math.ceil(Math.log2(this.buffer.length / step + 1)) - 2));
    this.table = new Uint32Array(1 << this.bits);
    this.chain = new Uint32Array(2 ** Math.ceil(Math.log2(Math.max(1, this.buffer.length / step))));
  }

  get bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /**
   * Makes sure the window holds `from`..`to` of the reference (as much of it as fits), with
   * room around it: when it does not, the window is centred on it. Moving only then keeps the
   * bytes shifted per byte of target low (a 64 MiB window moves in steps of about 24 MiB for
   * 8 MiB target windows, instead of 8 MiB steps that each shift 56 MiB).
   */
  async cover(from: number, to: number, signal?: AbortSignal): Promise<void> {
    const capacity = this.buffer.length;
    const margin = Math.max(0, (capacity - (to - from)) / 8);
    const heldEnd = this.start + this.length;
    const wantedStart = Math.max(0, from - margin);
    const wantedEnd = Math.min(this.reference.size, to + margin);
    if (this.length === capacity && this.start <= wantedStart && wantedEnd <= heldEnd) return;
    await this.moveTo(from - (capacity - (to - from)) / 2, signal);
  }

  /** Moves the window to start as near `wanted` as the reference allows. */
  private async moveTo(wanted: number, signal?: AbortSignal): Promise<void> {
    const capacity = this.buffer.length;
    const start = Math.max(0, Math.min(Math.floor(wanted), this.reference.size - capacity));
    const end = start + capacity;
    const heldEnd = this.start + this.length;
    if (this.length === capacity && start === this.start) return;
    if (start >= this.start && start < heldEnd && this.length > 0) {
      // Moving forward over what is held: keep the overlap, read and index only the rest.
      this.buffer.copyWithin(0, start - this.start, this.length);
      const kept = heldEnd - start;
      this.start = start;
      await this.read(heldEnd, end, kept, signal);
      this.index(Math.max(start, heldEnd - this.block.size + 1), end);
    } else {
      this.start = start;
      await this.read(start, end, 0, signal);
      this.index(start, end);
    }
    this.length = capacity;
  }

  /**
   * Reference positions whose block hashed like `hash` and lie in the window, latest first: at
   * most `depth` of them into `into`; returns how many.
   */
  candidates(hash: number, depth: number, into: number[]): number {
    let entry = this.table[slotOf(hash, 32 - this.bits)]!;
    let found = 0;
    const end = this.start + this.length;
    while (entry !== 0 && found < depth) {
      const position = (entry - 1) * this.step;
      if (position < this.start || position + this.block.size > end) break;
      into[found++] = position;
      // The chain is read only for a next candidate: each link is a cache miss.
      if (found === depth) break;
      const previous = this.chain[(entry - 1) & (this.chain.length - 1)]!;
      if (previous >= entry) break;
      entry = previous;
    }
    return found;
  }

  private read(from: number, to: number, at: number, signal?: AbortSignal): Promise<void> {
    return readRangeInto(this.reference, this.buffer, at, from, to, signal);
  }

  /**
   * Indexes every STEP-th position from `from` to `to`. A block is 4 chunks of STEP bytes, so
   * each chunk is hashed once and each block's hash is combined from the last 4 chunks': one
   * pass over the bytes, where hashing each block outright would read every byte 4 times.
   */
  private index(from: number, to: number): void {
    const { words, start, step, chunkWeight } = this;
    const blockSize = this.block.size;
    const shift = 32 - this.bits;
    const slots = this.slots;
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
        slots[filled++] = slotOf(block, shift);
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
    const { table, chain, slots } = this;
    const mask = chain.length - 1;
    for (let index = 0; index < count; index++) {
      const slot = slots[index]!;
      const entry = firstEntry + index;
      chain[(entry - 1) & mask] = table[slot]!;
      table[slot] = entry;
    }
  }
}
