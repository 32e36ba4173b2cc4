import type { ByteSource } from '../byte-source.js';
import { readRangeInto } from '../read-range.js';
import { BlockHash, joinPieces, slotOf, WORD_WEIGHT, weight, wordHash } from './block-hash.js';

/**
 * Bytes hashed per indexed position: a far match is found from this many bytes. 64, the
 * shortest far copy taken: with 32 most hits in text were 32-63 byte look-alikes that cost a
 * read each and gave nothing (a shuffled source tar: 9,614 reads for 3,664 copies; 3,274 for
 * 3,241 with 64, and a smaller delta).
 */
export const FAR_BLOCK = 64;
const QUARTER = FAR_BLOCK / 4;
const QUARTER_WEIGHT = weight(QUARTER);
/**
 * Entries at most: two numbers of 4 bytes each, 8 MiB whatever the reference's size. The
 * encoder's fixed buffers are about 250 MB at levels 3-9 (source window and index, window
 * tables, LZMA dictionaries) and the bound is 300 MB: with 16 MiB here the moved source tar
 * peaked at 296 MB (measured before the window plans went into typed arrays).
 */
const MAX_ENTRIES = 1 << 20;
/** Positions 16 bytes apart at the densest: a moved stretch of 79 bytes is always found. */
const MIN_STEP = 16;
/** The reference is read for indexing in pieces this big. */
const READ_SIZE = 1024 * 1024;

/**
 * The whole reference, sampled: one entry per `step` positions, each a block's position and its
 * full hash (so a lookup names a position only when all 32 bits agree, and new bytes rarely
 * cost a read to find out they match nothing). It lets the encoder copy from anywhere in the
 * reference, where the source window holds only the part near the target's position: its
 * memory is fixed (8 MiB), the sampling grows with the file instead (a 1 GiB reference: every
 * 1024th position, so moved stretches of 1,087 bytes and more are always found).
 */
export class FarIndex {
  readonly block = new BlockHash(FAR_BLOCK);
  /**
   * Per slot, two numbers side by side (one cache line holds both, so an entry costs one miss):
   * the entry's position / step + 1 (0: empty), and its block's hash.
   */
  private readonly entries: Int32Array;
  private readonly shift: number;
  /** Slots and hashes of a batch of blocks, filed together (see `add`). */
  private readonly batchSlots = new Int32Array(1024);
  private readonly batchHashes = new Int32Array(1024);

  private constructor(
    readonly step: number,
    bits: number,
  ) {
    this.entries = new Int32Array(2 << bits);
    this.shift = 32 - bits;
  }

  /** Reads the whole reference once and indexes every `step`-th position of it. */
  static async build(reference: ByteSource, signal?: AbortSignal): Promise<FarIndex> {
    const wanted = Math.ceil(reference.size / MAX_ENTRIES);
    const step = Math.max(MIN_STEP, 2 ** Math.ceil(Math.log2(Math.max(1, wanted))));
    const entries = Math.ceil(reference.size / step);
    const bits = Math.min(20, Math.max(10, Math.ceil(Math.log2(entries + 1))));
    const index = new FarIndex(step, bits);
    // Each piece is read with the block's worth after it, so blocks across pieces are hashed.
    const buffer = new Uint8Array(READ_SIZE + FAR_BLOCK);
    for (let start = 0; start + FAR_BLOCK <= reference.size; start += READ_SIZE) {
      signal?.throwIfAborted();
      const end = Math.min(reference.size, start + READ_SIZE + FAR_BLOCK - 1);
      await readRangeInto(reference, buffer, 0, start, end, signal);
      index.add(buffer, start, end - start);
    }
    return index;
  }

  /** A reference position whose block hashed to `hash`, or -1. */
  lookup(hash: number): number {
    const slot = slotOf(hash, this.shift) << 1;
    const entry = this.entries[slot]!;
    return entry !== 0 && this.entries[slot + 1] === hash ? (entry - 1) * this.step : -1;
  }

  /**
   * Indexes the blocks that start in the first READ_SIZE bytes of `bytes` (at `start`). Hashes
   * are computed a batch at a time and filed after: the table's cache misses then overlap
   * instead of each waiting behind the next hash (a third of the time, as in SourceWindow).
   */
  private add(bytes: Uint8Array, start: number, length: number): void {
    const { step, shift, batchSlots, batchHashes } = this;
    const first = Math.ceil(start / step) * step - start;
    const last = Math.min(READ_SIZE, length - FAR_BLOCK + 1);
    let batched = 0;
    let firstEntry = (start + first) / step + 1;
    const words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = first; at < last; at += step) {
      // The block's polynomial hash as four of its quarters' combined: four chains of
      // multiplications side by side instead of one four times as long.
      let a = 0;
      let b = 0;
      let c = 0;
      let d = 0;
      for (let index = at; index < at + QUARTER; index += 4) {
        a = (Math.imul(a, WORD_WEIGHT) + wordHash(words.getInt32(index, true))) | 0;
        b = (Math.imul(b, WORD_WEIGHT) + wordHash(words.getInt32(index + QUARTER, true))) | 0;
        c = (Math.imul(c, WORD_WEIGHT) + wordHash(words.getInt32(index + 2 * QUARTER, true))) | 0;
        d = (Math.imul(d, WORD_WEIGHT) + wordHash(words.getInt32(index + 3 * QUARTER, true))) | 0;
      }
      const hash = joinPieces(a, b, c, d, QUARTER_WEIGHT);
      batchHashes[batched] = hash;
      batchSlots[batched++] = slotOf(hash, shift) << 1;
      if (batched === batchSlots.length) {
        this.file(firstEntry, batched);
        firstEntry += batched;
        batched = 0;
      }
    }
    this.file(firstEntry, batched);
  }

  /**
   * Files `count` consecutive entries from `firstEntry`. The first position keeps its slot:
   * files early in an archive are as likely to be copied as later ones, and keeping the first
   * needs no decision per entry.
   */
  private file(firstEntry: number, count: number): void {
    const { entries, batchSlots, batchHashes } = this;
    for (let index = 0; index < count; index++) {
      const slot = batchSlots[index]!;
      if (entries[slot] !== 0) continue;
      entries[slot] = firstEntry + index;
      entries[slot + 1] = batchHashes[index]!;
    }
  }
}
