import { agreeingBefore } from './agreeing-bytes.js';
import { slotOf } from './block-hash.js';
import { NO_TARGET_MATCH, type TargetMatch, type WindowRepeats } from './window-repeats.js';

/** Every GRID-th position of the window is remembered. */
const GRID = 16;

/**
 * Long repeats within the window, for the fast levels: only every 16th position is remembered,
 * the latest per slot of the block hash the match finder rolls anyway, so that a search costs
 * one table read (remembering every position, as `EarlierBytes` does, took a fifth of a fast
 * encode). A repeat is found from whichever of its positions lies on the grid and extended back
 * to its start. Shorter repeats are left to LZMA, which codes them for less; this finds the
 * long ones LZMA would not: repeats further apart than its dictionary, and repeats of bytes that
 * look random, which secondary compression leaves plain.
 */
export class SparseRepeats implements WindowRepeats {
  private readonly latest: Int32Array;
  private readonly shift: number;

  constructor(
    windowLength: number,
    /** The shortest copy taken. */
    private readonly minimum = 64,
  ) {
    const bits = Math.min(20, Math.max(8, Math.ceil(Math.log2(windowLength / GRID + 1)) + 1));
    this.latest = new Int32Array(1 << bits).fill(-1);
    this.shift = 32 - bits;
  }

  reset(): void {
    this.latest.fill(-1);
  }

  find(target: Uint8Array, at: number, hash: number, floor: number): TargetMatch {
    const slot = slotOf(hash, this.shift);
    const candidate = this.latest[slot]!;
    if ((at & (GRID - 1)) === 0) this.latest[slot] = at;
    if (candidate < 0 || target[candidate] !== target[at]) return NO_TARGET_MATCH;
    const limit = target.length - at;
    let forward = 0;
    while (forward < limit && target[candidate + forward] === target[at + forward]) forward++;
    const backward = agreeingBefore(target, at, target, candidate, Math.min(at - floor, candidate));
    if (forward + backward < this.minimum) return NO_TARGET_MATCH;
    return { from: candidate, forward, backward };
  }

  pass(_target: Uint8Array, at: number, hash: number): void {
    if ((at & (GRID - 1)) === 0) this.latest[slotOf(hash, this.shift)] = at;
  }

  /** Nothing: the bytes a copy covers repeat ones already remembered. */
  covered(): void {}
}
