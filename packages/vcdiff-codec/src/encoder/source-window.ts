import type { ByteSource } from '../byte-source.js';
import { readRangeInto } from '../read-range.js';
import type { BlockHash } from './block-hash.js';
import { BlockIndex } from './block-index.js';

/** Where the bytes are expected, the near index covers this much before and after. */
const NEAR_BEHIND = 64 * 1024;
const NEAR_AHEAD = 448 * 1024;
/**
 * Searches that find no copy before the whole window is indexed: new bytes, or bytes from
 * elsewhere in the reference. Measured on the npm pairs at level 6: monaco-editor (74 MB, a few
 * edits) misses 257-1,024 times, react-dom (moved code) needs the whole index before 4,096;
 * with 1,024 the npm deltas total 300 bytes less than with the whole index from the start.
 */
const MISSES_ALLOWED = 1024;

/**
 * The part of the reference the encoder matches against, like xdelta3's source window (-B): at
 * most `capacity` bytes held in memory, moved along the reference as the target advances. Its
 * hash index stores absolute positions, so entries stay true however the window moves; only
 * bytes newly read are hashed.
 *
 * The index of the whole window is built when first needed, not when the bytes are read. Until
 * then a search looks only near where the bytes are expected, in a small index that follows
 * them: where the new file follows its reference with a few edits (most releases), the whole
 * index is never needed and was most of the encode (monaco-editor: 64 MiB indexed to find 1 KB
 * of changes). It is built once the match finder meets a stretch of new bytes, or once
 * MISSES_ALLOWED searches found nothing near (bytes that come from elsewhere in the reference).
 */
export class SourceWindow {
  private readonly buffer: Uint8Array;
  /** The buffer read 4 bytes at a time, for hashing (steps are multiples of 4). */
  private readonly words: DataView;
  /** The whole window's index, once `indexWhole` built it. */
  private readonly whole: BlockIndex;
  private wholeBuilt = false;
  /** Until then, the index of `nearStart`..`nearEnd`, around where searches expect the bytes. */
  private readonly near: BlockIndex;
  private nearStart = 0;
  private nearEnd = 0;
  /** Searches that found no copy while only the near index was there. */
  private misses = 0;
  /** The reference offset of `buffer[0]`, and how many bytes the buffer holds. */
  start = 0;
  length = 0;

  constructor(
    private readonly reference: ByteSource,
    capacity: number,
    /** Every `step`-th reference position is indexed (the index's sampling). */
    step = 4,
  ) {
    this.buffer = new Uint8Array(Math.min(capacity, reference.size));
    this.words = new DataView(this.buffer.buffer);
    this.whole = new BlockIndex(this.buffer.length, step, reference.size);
    const nearSpan = Math.min(this.buffer.length, NEAR_BEHIND + NEAR_AHEAD);
    this.near = new BlockIndex(nearSpan, step, reference.size);
  }

  get block(): BlockHash {
    return this.whole.block;
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
    this.nearStart = this.nearEnd = 0;
    if (start >= this.start && start < heldEnd && this.length > 0) {
      // Moving forward over what is held: keep the overlap, read (and index) only the rest.
      this.buffer.copyWithin(0, start - this.start, this.length);
      const kept = heldEnd - start;
      this.start = start;
      await this.read(heldEnd, end, kept, signal);
      if (this.wholeBuilt)
        this.whole.add(this.words, start, Math.max(start, heldEnd - this.block.size + 1), end);
    } else {
      this.start = start;
      await this.read(start, end, 0, signal);
      if (this.wholeBuilt) this.whole.add(this.words, start, start, end);
    }
    this.length = capacity;
  }

  /** A search found no copy: after MISSES_ALLOWED of them the whole window is searched. */
  missed(): void {
    if (!this.wholeBuilt && ++this.misses > MISSES_ALLOWED) this.indexWhole();
  }

  /** Builds the whole window's index (once; after that, moves index what they read). */
  private indexWhole(): void {
    if (this.wholeBuilt) return;
    this.wholeBuilt = true;
    this.whole.add(this.words, this.start, this.start, this.start + this.length);
  }

  /**
   * Reference positions whose block hashed like `hash` and lie in the window, latest first: at
   * most `depth` of them into `into`; returns how many. Before the whole index is built, only
   * positions near `expected` (where the bytes would be if the file had not changed there);
   * a search from deep in a stretch of new bytes (`inNewBytes`) builds it.
   */
  candidates(
    hash: number,
    depth: number,
    into: number[],
    expected: number,
    inNewBytes: boolean,
  ): number {
    const end = this.start + this.length;
    if (inNewBytes) this.indexWhole();
    if (this.wholeBuilt) return this.whole.candidates(hash, depth, into, this.start, end);
    this.indexNear(expected);
    return this.near.candidates(hash, depth, into, this.nearStart, this.nearEnd);
  }

  /**
   * Makes the near index cover `expected` (with NEAR_BEHIND before it and NEAR_AHEAD after):
   * by indexing on from where it ends when the bytes moved on less than its span (the common
   * case: the file follows its reference, searched after each edit), else anew around it. Its
   * table fits in the processor's cache, so even following a whole file costs the hashing only,
   * not the cache misses that filling the whole window's table costs.
   */
  private indexNear(expected: number): void {
    const end = this.start + this.length;
    const wantedFrom = Math.max(this.start, expected - NEAR_BEHIND / 2);
    const wantedTo = Math.min(end, expected + NEAR_AHEAD / 2);
    if (this.nearStart <= wantedFrom && wantedTo <= this.nearEnd) return;
    const to = Math.min(end, Math.max(expected, this.start) + NEAR_AHEAD);
    const span = NEAR_BEHIND + NEAR_AHEAD;
    if (this.nearEnd > this.nearStart && wantedFrom >= this.nearStart && to - this.nearEnd < span) {
      const from = Math.max(this.start, this.nearEnd - this.block.size + 1);
      this.near.add(this.words, this.start, from, to);
      this.nearEnd = to;
      this.nearStart = Math.max(this.nearStart, to - span);
      return;
    }
    const from = Math.max(this.start, Math.min(expected, end) - NEAR_BEHIND);
    this.near.clear();
    this.near.add(this.words, this.start, from, to);
    this.nearStart = from;
    this.nearEnd = to;
  }

  private read(from: number, to: number, at: number, signal?: AbortSignal): Promise<void> {
    return readRangeInto(this.reference, this.buffer, at, from, to, signal);
  }
}
