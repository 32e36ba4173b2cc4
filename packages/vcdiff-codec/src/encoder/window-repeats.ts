/** A copy from earlier in the window: `forward` bytes from `from`, and `backward` before both. */
export interface TargetMatch {
  readonly from: number;
  readonly forward: number;
  readonly backward: number;
}

export const NO_TARGET_MATCH: TargetMatch = { from: -1, forward: 0, backward: 0 };

/**
 * How the match finder finds bytes that repeat earlier ones of the same window (COPYs from the
 * target). It walks the window once, telling each position to one of these methods; `hash` is
 * the block hash it rolls along the target anyway.
 */
export interface WindowRepeats {
  /** A new window begins: nothing earlier is remembered. */
  reset(): void;
  /** The repeat to copy for the bytes at `at` (none: `forward` 0); remembers `at`. */
  find(target: Uint8Array, at: number, hash: number, floor: number): TargetMatch;
  /** A position passed over without a search (deep in new bytes). */
  pass(target: Uint8Array, at: number, hash: number): void;
  /** Positions `from`..`to` a copy from the window just covered. */
  covered(target: Uint8Array, from: number, to: number): void;
}
