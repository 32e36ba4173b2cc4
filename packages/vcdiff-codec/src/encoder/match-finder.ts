import { agreeingAfter, agreeingBefore, viewOf } from './agreeing-bytes.js';
import { BlockHash } from './block-hash.js';
import type { SourceWindow } from './source-window.js';
import { Op, type WindowPlan } from './window-plan.js';
import { NO_TARGET_MATCH, type WindowRepeats } from './window-repeats.js';

/** Without a reference the hash is not used; the block still bounds the scan, as with one. */
const TARGET_ONLY_BLOCK = new BlockHash(16);
/** Bytes without a match after which only every third position is searched, less deep. */
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
  expectedSource: number,
  /** Finds repeats within the window; without it they are left to the data section (and LZMA). */
  repeats: WindowRepeats | undefined,
  /** Source candidates compared per position. */
  depth: number,
  /** Cleared, then filled with the window's instructions. */
  plan: WindowPlan,
): WindowPlan {
  const candidates: number[] = [];
  plan.clear();
  // Two records reused at every position: the search allocates nothing per candidate (an
  // object per candidate grew V8's young generation by 33 MB on a shuffled archive's encode).
  const best = new SourceMatch();
  const trial = new SourceMatch();
  const sourceBytes = source?.bytes ?? new Uint8Array(0);
  const views: Views = { target: viewOf(target), source: viewOf(sourceBytes) };
  const sourceStart = source?.start ?? 0;
  const length = target.length;
  repeats?.reset();
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
    // Deep in new bytes, every third position is searched: the search, not the copying, is
    // what new bytes cost (a cache miss or more per candidate). Three is prime to the index's
    // sampling (4 or 8) and to the sparse repeats' grid (16), so within 3 x 16 bytes every
    // alignment to them is tried and a match is found wherever it starts. (Every other
    // position, even ones for 32 bytes and odd ones for the next 32, searched more and found
    // no more: level 1 took 9 % longer on the npm pairs, for 193 bytes more.)
    if (at - added > SKIP_AFTER && (at - added) % 3 !== 0) {
      repeats?.pass(target, at, hash);
      if (at + 1 + blockSize <= length)
        hash = block.roll(hash, target[at]!, target[at + blockSize]!);
      at++;
      continue;
    }
    const floor = reclaimable(plan, added);
    if (source) {
      best.clear();
      // There, too, two candidates are enough: deep ones rarely match new bytes, and each is a
      // cache miss (level 6: 8 % less time on the npm pairs, the same bytes within 0.01 %).
      const deep = at - added > SKIP_AFTER;
      // Where the last long copy says these bytes are: the window looks near there first
      // (short look-alike copies would lead it astray); see SourceWindow.
      const nearby = sourceStart + at + longAlignment;
      const searched = deep ? Math.min(depth, 2) : depth;
      const count = source.candidates(hash, searched, candidates, nearby, deep);
      const expected = at + lastAlignment;
      for (let index = 0; index < count; index++) {
        extend(
          trial,
          views,
          target,
          at,
          floor,
          sourceBytes,
          candidates[index]! - sourceStart,
          blockSize,
        );
        if (prefer(trial, best, expected)) best.copy(trial);
      }
      furthest(best, trial, views, target, at, floor, sourceBytes, lastAlignment, blockSize);
      if (longAlignment !== lastAlignment)
        furthest(best, trial, views, target, at, floor, sourceBytes, longAlignment, blockSize);
      if (best.forward >= blockSize) {
        reclaim(plan, added, at - best.backward);
        flushAdds(plan, target, added, at - best.backward);
        plan.push(
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
    source?.missed(); // no copy from the reference here
    const match = repeats?.find(target, at, hash, floor) ?? NO_TARGET_MATCH;
    if (match.forward > 0) {
      reclaim(plan, added, at - match.backward);
      flushAdds(plan, target, added, at - match.backward);
      plan.push(Op.CopyTarget, match.forward + match.backward, match.from - match.backward);
      repeats!.covered(target, at + 1, at + match.forward);
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

/** The target window and the source window's bytes, read 8 bytes at a time to extend matches. */
interface Views {
  readonly target: DataView;
  readonly source: DataView;
}

/** A source match: where in the source window it starts (before extending backwards), and how far it reaches each way. */
class SourceMatch {
  position = -1;
  forward = 0;
  backward = 0;

  clear(): void {
    this.position = -1;
    this.forward = 0;
    this.backward = 0;
  }

  copy(other: SourceMatch): void {
    this.position = other.position;
    this.forward = other.forward;
    this.backward = other.backward;
  }
}

/**
 * Whether `match` beats `best`: it covers more; or as much, nearer where the source was
 * expected (its address is a short offset from the last copy's: a reference with the same file
 * several times otherwise has its copies scattered over them, and addresses cost more).
 */
function prefer(match: SourceMatch, best: SourceMatch, expected: number): boolean {
  const gain = match.forward + match.backward - (best.forward + best.backward);
  if (gain !== 0) return gain > 0;
  return Math.abs(match.position - expected) < Math.abs(best.position - expected);
}

/** Makes `best` the match at `at + alignment` in the source when that one reaches as far or further. */
function furthest(
  best: SourceMatch,
  trial: SourceMatch,
  views: Views,
  target: Uint8Array,
  at: number,
  added: number,
  source: Uint8Array,
  alignment: number,
  block: number,
): void {
  const aligned = at + alignment;
  if (
    aligned < 0 ||
    aligned + block > source.length ||
    aligned === best.position ||
    target[at] !== source[aligned]
  )
    return;
  extend(trial, views, target, at, added, source, aligned, block);
  if (trial.forward + trial.backward >= best.forward + best.backward) best.copy(trial);
}

/** Fills `match` with how far the target at `at` and the source at `position` agree. */
function extend(
  match: SourceMatch,
  views: Views,
  target: Uint8Array,
  at: number,
  added: number,
  source: Uint8Array,
  position: number,
  /** Only a match this long is extended backwards (shorter ones are not taken). */
  block: number,
): void {
  const forwardLimit = Math.min(target.length - at, source.length - position);
  // Most candidates differ at once (a hash collision): only a real match is measured in words.
  const forward =
    forwardLimit > 0 && target[at] === source[position]
      ? agreeingAfter(views.target, at, views.source, position, forwardLimit)
      : 0;
  const backward =
    forward >= block
      ? agreeingBefore(target, at, source, position, Math.min(at - added, position))
      : 0;
  match.position = position;
  match.forward = forward;
  match.backward = backward;
}

/** Where the plan's last instruction starts when it is a copy (a later match may take it over), else `added`. */
function reclaimable(plan: WindowPlan, added: number): number {
  const last = plan.length - 1;
  const op = plan.ops[last];
  return op === Op.Copy || op === Op.CopyTarget ? added - plan.sizes[last]! : added;
}

/** Drops or shortens the last copy so that it ends at `start`, where a new match begins. */
function reclaim(plan: WindowPlan, added: number, start: number): void {
  if (start >= added) return;
  const last = plan.length - 1;
  const lastStart = added - plan.sizes[last]!;
  if (start <= lastStart) plan.pop();
  else plan.sizes[last] = start - lastStart;
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
      if (at > literalStart) plan.push(Op.Add, at - literalStart, literalStart);
      plan.push(Op.Run, run, at);
      literalStart = at + run;
    }
    at += run;
  }
  if (to > literalStart) plan.push(Op.Add, to - literalStart, literalStart);
}
