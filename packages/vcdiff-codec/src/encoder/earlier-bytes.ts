import { agreeingBefore } from './agreeing-bytes.js';
import { NO_TARGET_MATCH, type TargetMatch, type WindowRepeats } from './window-repeats.js';

/**
 * Where each 4-byte sequence occurred earlier in the window: a hash table of the latest offset
 * and a chain back through older ones (LZ77's hash chains), searched a few links deep.
 */
export class EarlierBytes implements WindowRepeats {
  private readonly latest: Int32Array;
  private readonly older: Int32Array;
  private readonly shift: number;
  private readonly searchMask: number;

  /** For windows of at most `windowLength` bytes; one instance serves window after window. */
  constructor(
    windowLength: number,
    /** How many earlier repeats are compared for the longest. */
    private readonly depth = 32,
    /**
     * The shortest copy from earlier in the window taken. Shorter repeats are left in the data
     * section, where LZMA codes them for less than an instruction and an address (measured: 4
     * bytes made the source-tar delta 441 KB, 64 bytes 364 KB).
     */
    readonly minimum = 64,
  ) {
    const bits = Math.min(20, Math.max(8, Math.ceil(Math.log2(windowLength + 1))));
    // Every position is remembered, but a copy must be `minimum` long, so searching every
    // (minimum / 16)-th position finds each repeat of minimum + that many bytes (from any of
    // its positions, then extended back). Searching every position was a quarter of a level-6
    // encode of new code (esbuild-wasm): chains are cache misses. Level 6's npm deltas grew
    // 0.07 %.
    this.searchMask = 2 ** Math.floor(Math.log2(Math.max(1, minimum / 16))) - 1;
    this.latest = new Int32Array(1 << bits).fill(-1);
    this.older = new Int32Array(windowLength);
    this.shift = 32 - bits;
  }

  /** Forgets every offset (chains are only reached through `latest`, so they need no reset). */
  reset(): void {
    this.latest.fill(-1);
  }

  pass(target: Uint8Array, at: number): void {
    this.insert(target, at);
  }

  covered(target: Uint8Array, from: number, to: number): void {
    for (let at = from; at < to; at++) this.insert(target, at);
  }

  private insert(target: Uint8Array, at: number): number {
    const slot = this.slotOf(target, at);
    const previous = this.latest[slot]!;
    this.older[at] = previous;
    this.latest[slot] = at;
    return previous;
  }

  /** The longest earlier repeat of the bytes at `at`, of `minimum` bytes or more. */
  find(target: Uint8Array, at: number, _hash: number, added: number): TargetMatch {
    const limit = target.length - at;
    let candidate = this.insert(target, at);
    if (limit < this.minimum || (at & this.searchMask) !== 0) return NO_TARGET_MATCH;
    let bestFrom = -1;
    let bestLength = this.minimum - 1;
    for (let links = 0; links < this.depth && candidate >= 0; links++) {
      // Only a match longer than the best so far counts: its last byte is checked first.
      if (target[candidate + bestLength] === target[at + bestLength]) {
        let forward = 0;
        while (forward < limit && target[candidate + forward] === target[at + forward]) forward++;
        if (forward > bestLength) {
          bestLength = forward;
          bestFrom = candidate;
          if (forward === limit) break;
        }
      }
      candidate = this.older[candidate]!;
    }
    if (bestFrom < 0) return NO_TARGET_MATCH;
    const backward = agreeingBefore(target, at, target, bestFrom, Math.min(at - added, bestFrom));
    return { from: bestFrom, forward: bestLength, backward };
  }

  /**
   * The chain a position belongs to: by its first 4 bytes, or 8 when copies must be longer
   * anyway (chains of 4-byte repeats in binary data are long, and every link a cache miss).
   */
  private slotOf(target: Uint8Array, at: number): number {
    const low =
      target[at]! | (target[at + 1]! << 8) | (target[at + 2]! << 16) | (target[at + 3]! << 24);
    if (this.minimum < 8) return Math.imul(low, 0x9e3779b1) >>> this.shift;
    const high =
      target[at + 4]! | (target[at + 5]! << 8) | (target[at + 6]! << 16) | (target[at + 7]! << 24);
    return (Math.imul(low, 0x9e3779b1) ^ Math.imul(high, 0x85ebca6b)) >>> this.shift;
  }
}
