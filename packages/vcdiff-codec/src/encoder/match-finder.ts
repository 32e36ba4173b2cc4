import { BlockHash } from './block-hash.js';
import type { SourceWindow } from './source-window.js';

export const Op = { Add: 1, Run: 2, Copy: 3, CopyTarget: 4 } as const;
type Op = (typeof Op)[keyof typeof Op];

/**
 * A window's instructions: for ADD, RUN and COPY_TARGET `from` is an offset in the target
 * window, for COPY a position in the reference.
 */
export interface WindowPlan {
  readonly ops: number[];
  readonly sizes: number[];
  readonly from: number[];
}

/** Without a reference the hash is not used; the block still bounds the scan, as with one. */
const TARGET_ONLY_BLOCK = new BlockHash(16);
/** Bytes without a match after which only every other position is searched. */
const SKIP_AFTER = 256;
/** Runs of one byte this long go as a RUN (the data holds one byte instead of all of them). */
const MIN_RUN = 24;
/** A copy this long sets the alignment the encoder returns to after look-alikes. */
const LONG_COPY = 4096;

/**
 * Finds how to rebuild `target` from the source window: walks the target with a rolling hash,
 * and wherever a block's hash names a source position whose bytes agree, copies as far forward
 * and back as they keep agreeing. New bytes that repeat earlier ones of the same window are
 * copied from there (as xdelta3 does, so new text compresses too); what is left is added (or
 * run, for one repeated byte).
 */
export function findMatches(
  target: Uint8Array,
  source: SourceWindow | undefined,
  expectedSource = 0,
  earlier = new EarlierBytes(target.length),
  depth = 8,
): WindowPlan {
  const candidates: number[] = [];
  const plan: WindowPlan = { ops: [], sizes: [], from: [] };
  const sourceBytes = source?.bytes ?? new Uint8Array(0);
  const sourceStart = source?.start ?? 0;
  const length = target.length;
  earlier.reset();
  // Where the bytes ahead probably are in the source, as reference position minus target
  // offset: after the last copy (edits leave the bytes after them where they were), and after
  // the last long copy (in repetitive data a look-alike elsewhere may match for a while, and
  // this finds the way back). Both are tried besides what the hash table remembers.
  let lastAlignment = expectedSource - sourceStart;
  let longAlignment = lastAlignment;
  let added = 0; // where the bytes not yet covered by an instruction begin
  let at = 0;
  const block = source?.block ?? TARGET_ONLY_BLOCK;
  const blockSize = block.size; // the shortest source match taken
  let hash = length >= blockSize ? block.hash(target, 0) : 0;
  while (at + blockSize <= length) {
    // A match may reach back over the last copy too: a long match then replaces the short
    // look-alike copy before it (or shortens it), instead of following it.
    // Deep in new bytes, every other position is searched (even ones in one 32-byte stretch,
    // odd ones in the next, so a match is found whatever its alignment to the index's
    // sampling): the search, not the copying, is what new bytes cost.
    if (at - added > SKIP_AFTER && ((at + (at >>> 5)) & 1) === 1) {
      if (at + 1 + blockSize <= length)
        hash = block.roll(hash, target[at]!, target[at + blockSize]!);
      earlier.insert(target, at);
      at++;
      continue;
    }
    const floor = reclaimable(plan, added);
    if (source) {
      let best = none;
      const count = source.candidates(hash, depth, candidates);
      const expected = at + lastAlignment;
      for (let index = 0; index < count; index++)
        best = longer(
          best,
          extend(target, at, floor, sourceBytes, candidates[index]! - sourceStart, blockSize),
          expected,
        );
      best = furthest(best, target, at, floor, sourceBytes, lastAlignment, blockSize);
      if (longAlignment !== lastAlignment)
        best = furthest(best, target, at, floor, sourceBytes, longAlignment, blockSize);
      if (best.forward >= blockSize) {
        reclaim(plan, added, at - best.backward);
        flushAdds(plan, target, added, at - best.backward);
        push(
          plan,
          Op.Copy,
          best.forward + best.backward,
          sourceStart + best.position - best.backward,
        );
        lastAlignment = best.position - at;
        if (best.forward + best.backward >= LONG_COPY) longAlignment = lastAlignment;
        at += best.forward;
        added = at;
        if (at + blockSize <= length) hash = block.hash(target, at);
        continue;
      }
    }
    const match = earlier.longestMatch(target, at, floor);
    if (match.forward >= earlier.minimum) {
      reclaim(plan, added, at - match.backward);
      flushAdds(plan, target, added, at - match.backward);
      push(plan, Op.CopyTarget, match.forward + match.backward, match.from - match.backward);
      for (let covered = at + 1; covered < at + match.forward; covered += 1)
        earlier.insert(target, covered);
      at += match.forward;
      added = at;
      if (at + blockSize <= length) hash = block.hash(target, at);
      continue;
    }
    hash = block.roll(hash, target[at]!, target[at + blockSize] ?? 0);
    at++;
  }
  flushAdds(plan, target, added, length);
  return plan;
}

const NO_TARGET_MATCH = { from: -1, forward: 0, backward: 0 } as const;

/**
 * Where each 4-byte sequence occurred earlier in the window: a hash table of the latest offset
 * and a chain back through older ones (LZ77's hash chains), searched a few links deep.
 */
export class EarlierBytes {
  private readonly latest: Int32Array;
  private readonly older: Int32Array;
  private readonly shift: number;

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
    this.latest = new Int32Array(1 << bits).fill(-1);
    this.older = new Int32Array(windowLength);
    this.shift = 32 - bits;
  }

  /** Forgets every offset (chains are only reached through `latest`, so they need no reset). */
  reset(): void {
    this.latest.fill(-1);
  }

  insert(target: Uint8Array, at: number): number {
    const slot = this.slotOf(target, at);
    const previous = this.latest[slot]!;
    this.older[at] = previous;
    this.latest[slot] = at;
    return previous;
  }

  /** The longest earlier repeat of the bytes at `at` (recording `at` as it goes). */
  longestMatch(
    target: Uint8Array,
    at: number,
    added: number,
  ): { from: number; forward: number; backward: number } {
    const limit = target.length - at;
    let candidate = this.insert(target, at);
    if (limit < this.minimum) return NO_TARGET_MATCH;
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
    const backwardLimit = Math.min(at - added, bestFrom);
    let backward = 0;
    while (
      backward < backwardLimit &&
      target[at - backward - 1] === target[bestFrom - backward - 1]
    )
      backward++;
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

interface SourceMatch {
  /** Where in the source window the match starts (before extending backwards). */
  readonly position: number;
  readonly forward: number;
  readonly backward: number;
}

const none: SourceMatch = { position: -1, forward: 0, backward: 0 };

/**
 * The match that covers more; of two that cover as much, the one nearer where the source was
 * expected (its address is a short offset from the last copy's: a reference with the same file
 * several times otherwise has its copies scattered over them, and addresses cost more).
 */
function longer(best: SourceMatch, match: SourceMatch, expected: number): SourceMatch {
  const gain = match.forward + match.backward - (best.forward + best.backward);
  if (gain !== 0) return gain > 0 ? match : best;
  return Math.abs(match.position - expected) < Math.abs(best.position - expected) ? match : best;
}

/** `best`, or the match at `at + alignment` in the source when that one reaches further. */
function furthest(
  best: SourceMatch,
  target: Uint8Array,
  at: number,
  added: number,
  source: Uint8Array,
  alignment: number,
  block: number,
): SourceMatch {
  const aligned = at + alignment;
  if (
    aligned < 0 ||
    aligned + block > source.length ||
    aligned === best.position ||
    target[at] !== source[aligned]
  )
    return best;
  const match = extend(target, at, added, source, aligned, block);
  return match.forward + match.backward >= best.forward + best.backward ? match : best;
}

function extend(
  target: Uint8Array,
  at: number,
  added: number,
  source: Uint8Array,
  position: number,
  /** Only a match this long is extended backwards (shorter ones are not taken). */
  block: number,
): SourceMatch {
  let forward = 0;
  const forwardLimit = Math.min(target.length - at, source.length - position);
  while (forward < forwardLimit && target[at + forward] === source[position + forward]) forward++;
  let backward = 0;
  if (forward >= block) {
    const backwardLimit = Math.min(at - added, position);
    while (
      backward < backwardLimit &&
      target[at - backward - 1] === source[position - backward - 1]
    )
      backward++;
  }
  return { position, forward, backward };
}

/** Where the plan's last instruction starts when it is a copy (a later match may take it over), else `added`. */
function reclaimable(plan: WindowPlan, added: number): number {
  const last = plan.ops.length - 1;
  const op = plan.ops[last];
  return op === Op.Copy || op === Op.CopyTarget ? added - plan.sizes[last]! : added;
}

/** Drops or shortens the last copy so that it ends at `start`, where a new match begins. */
function reclaim(plan: WindowPlan, added: number, start: number): void {
  if (start >= added) return;
  const last = plan.ops.length - 1;
  const lastStart = added - plan.sizes[last]!;
  if (start <= lastStart) {
    plan.ops.pop();
    plan.sizes.pop();
    plan.from.pop();
  } else plan.sizes[last] = start - lastStart;
}

/** Target bytes `from`..`to` that no copy covers: ADDs, with long single-byte runs as RUNs. */
function flushAdds(plan: WindowPlan, target: Uint8Array, from: number, to: number): void {
  let literalStart = from;
  let at = from;
  while (at < to) {
    const byte = target[at]!;
    let run = 1;
    while (at + run < to && target[at + run] === byte) run++;
    if (run >= MIN_RUN) {
      if (at > literalStart) push(plan, Op.Add, at - literalStart, literalStart);
      push(plan, Op.Run, run, at);
      literalStart = at + run;
    }
    at += run;
  }
  if (to > literalStart) push(plan, Op.Add, to - literalStart, literalStart);
}

function push(plan: WindowPlan, op: Op, size: number, from: number): void {
  plan.ops.push(op);
  plan.sizes.push(size);
  plan.from.push(from);
}
