import type { BodySource } from '@deltaglider/core';
import { readRangeInto } from '../read-range.js';
import { BLOCK, hashBlock, slotOf } from './block-hash.js';

/** Every STEP-th source position is indexed: matches of BLOCK + STEP - 1 bytes are always found. */
export const STEP = 8;

/**
 * The part of the reference the encoder matches against, like xdelta3's source window (-B): at
 * most `capacity` bytes held in memory, moved along the reference as the target advances. Its
 * hash index stores absolute positions, so entries stay true however the window moves; only
 * bytes newly read are hashed.
 */
export class SourceWindow {
  private readonly buffer: Uint8Array;
  private readonly table: Uint32Array;
  private readonly bits: number;
  /** The reference offset of `buffer[0]`, and how many bytes the buffer holds. */
  start = 0;
  length = 0;

  constructor(
    private readonly reference: BodySource,
    capacity: number,
  ) {
    this.buffer = new Uint8Array(Math.min(capacity, reference.size));
    this.bits = Math.min(22, Math.max(10, Math.ceil(Math.log2(this.buffer.length / STEP + 1))));
    this.table = new Uint32Array(1 << this.bits);
  }

  get bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** Moves the window to start as near `wanted` as the reference allows. */
  async moveTo(wanted: number, signal?: AbortSignal): Promise<void> {
    const capacity = this.buffer.length;
    const start = Math.max(0, Math.min(wanted, this.reference.size - capacity));
    const end = start + capacity;
    const heldEnd = this.start + this.length;
    if (this.length === capacity && start === this.start) return;
    if (start >= this.start && start < heldEnd && this.length > 0) {
      // Moving forward over what is held: keep the overlap, read and index only the rest.
      this.buffer.copyWithin(0, start - this.start, this.length);
      const kept = heldEnd - start;
      this.start = start;
      await this.read(heldEnd, end, kept, signal);
      this.index(Math.max(start, heldEnd - BLOCK + 1), end);
    } else {
      this.start = start;
      await this.read(start, end, 0, signal);
      this.index(start, end);
    }
    this.length = capacity;
  }

  /** A reference position whose block hashed like `hash` and lies in the window, else -1. */
  candidate(hash: number): number {
    const entry = this.table[slotOf(hash, this.bits)]!;
    if (entry === 0) return -1;
    const position = (entry - 1) * STEP;
    return position >= this.start && position + BLOCK <= this.start + this.length ? position : -1;
  }

  private read(from: number, to: number, at: number, signal?: AbortSignal): Promise<void> {
    return readRangeInto(this.reference, this.buffer, at, from, to, signal);
  }

  private index(from: number, to: number): void {
    const first = Math.ceil(from / STEP) * STEP;
    for (let position = first; position + BLOCK <= to; position += STEP)
      this.table[slotOf(hashBlock(this.buffer, position - this.start), this.bits)] =
        position / STEP + 1;
  }
}
