import type { ByteSource } from '../byte-source.js';
import { readRangeInto } from '../read-range.js';
import { agreeingBefore } from './agreeing-bytes.js';
import { FAR_BLOCK, type FarIndex } from './far-index.js';
import type { SourceWindow } from './source-window.js';
import { Op, type WindowPlan } from './window-plan.js';

/** The shortest far copy taken (its address costs up to 5 bytes); see `worthTaking` for which. */
const MIN_FAR_COPY = 64;
/** How far back from a hit a match is followed: past the sampling step, with room to spare. */
const MAX_BACKWARD = 4096;
/** A hit's first read forward; each further one is 4 times as big, up to 1 MiB. */
const FIRST_READ = 4096;
const MAX_READ = 1024 * 1024;
/**
 * Hits checked per window at most: each costs a read of the reference, and a window of new
 * bytes that keep resembling it only briefly must not cost a read per byte.
 */
const MAX_CHECKS = 4096;

/**
 * Copies this long the window's matcher found are kept as they are. Shorter ones may be
 * look-alikes: where a file moved far, the window finds scraps of other files that resemble it
 * (the source tar with its halves swapped: 28,869 copies of 171 bytes on average in the window
 * where it turns), and between them the adds are too short to search.
 */
const STRONG_COPY = 512;
/** A piece this short left of a copy that a far one cut is added instead. */
const MIN_PIECE = 16;

interface FarMatch {
  /** Where in the target window it starts, and where in the reference. */
  readonly at: number;
  readonly position: number;
  readonly length: number;
}

/**
 * Searches plans once more against the whole reference wherever their matcher found only adds
 * and short copies: a stretch of bytes that is in the reference beyond the source window (a
 * file moved far in an archive) is copied from there instead. Each hit of the index is checked
 * by reading the reference around it into one buffer, kept from window to window.
 */
export class FarCopies {
  private readonly scratch = new Uint8Array(MAX_BACKWARD + MAX_READ);

  constructor(
    private readonly index: FarIndex,
    private readonly reference: ByteSource,
    /** The window's own part of the reference: hits there were the window's to find. */
    private readonly window: SourceWindow,
  ) {}

  /**
   * `plan` (of `target`) with far copies where they cover more than what it had there, written
   * to `result` (cleared first), which it returns.
   */
  async addTo(
    plan: WindowPlan,
    target: Uint8Array,
    result: WindowPlan,
    signal?: AbortSignal,
  ): Promise<WindowPlan> {
    const { index, reference, scratch, window } = this;
    const held = { start: window.start, end: window.start + window.length };
    const search: FarSearch = { target, index, reference, held, signal, scratch, checks: 0 };
    result.clear();
    let op = 0;
    let here = 0;
    while (op < plan.length) {
      if (isStrong(plan, op)) {
        result.push(plan.ops[op]! as Op, plan.sizes[op]!, plan.from[op]!);
        here += plan.sizes[op]!;
        op++;
        continue;
      }
      const first = op;
      const start = here;
      while (op < plan.length && !isStrong(plan, op)) here += plan.sizes[op++]!;
      const found = here - start >= MIN_FAR_COPY ? await farMatches(search, start, here) : [];
      rewrite(plan, first, start, here, worthTaking(plan, first, start, found), result);
    }
    return result;
  }
}

interface FarSearch {
  readonly target: Uint8Array;
  readonly index: FarIndex;
  readonly reference: ByteSource;
  /** The reference range the source window holds for this window. */
  readonly held: { readonly start: number; readonly end: number };
  readonly signal: AbortSignal | undefined;
  readonly scratch: Uint8Array;
  /** Hits checked so far in this window. */
  checks: number;
}

function isStrong(plan: WindowPlan, op: number): boolean {
  const kind = plan.ops[op];
  return (kind === Op.Copy || kind === Op.CopyTarget) && plan.sizes[op]! >= STRONG_COPY;
}

/** Far matches of 64 bytes or more in target bytes `start`..`end`, in order, not overlapping. */
async function farMatches(search: FarSearch, start: number, end: number): Promise<FarMatch[]> {
  const { target, index, held } = search;
  const matches: FarMatch[] = [];
  let covered = start;
  let at = start;
  let hash = index.block.hash(target, at);
  while (at + FAR_BLOCK <= end && search.checks < MAX_CHECKS) {
    const position = index.lookup(hash);
    if (position >= 0 && (position < held.start || position >= held.end)) {
      search.checks++;
      search.signal?.throwIfAborted();
      const match = await matchAt(search, at, covered, end, position);
      if (match.length >= MIN_FAR_COPY) {
        matches.push(match);
        at = covered = match.at + match.length;
        if (at + FAR_BLOCK <= end) hash = index.block.hash(target, at);
        continue;
      }
    }
    if (at + FAR_BLOCK < end) hash = index.block.roll(hash, target[at]!, target[at + FAR_BLOCK]!);
    at++;
  }
  return matches;
}

/**
 * Of `matches` (in order, not overlapping, within the ops from `first`, which start at
 * `start`), those at least twice as long as any copy they overlap: one pass over the ops, so a
 * stretch of many short copies and many far matches costs their sum, not their product.
 */
function worthTaking(
  plan: WindowPlan,
  first: number,
  start: number,
  matches: readonly FarMatch[],
): FarMatch[] {
  const taken: FarMatch[] = [];
  let op = first;
  let opStart = start;
  for (const match of matches) {
    while (opStart + plan.sizes[op]! <= match.at) opStart += plan.sizes[op++]!;
    const end = match.at + match.length;
    let longest = 0;
    for (let overlapped = op, at = opStart; at < end; at += plan.sizes[overlapped++]!) {
      const kind = plan.ops[overlapped];
      if (kind === Op.Copy || kind === Op.CopyTarget)
        longest = Math.max(longest, plan.sizes[overlapped]!);
    }
    if (match.length >= 2 * longest) taken.push(match);
  }
  return taken;
}

/**
 * Writes the plan's ops from `first` (target bytes `start`..`end`) to `result` with `matches`
 * copied in: what they cover of each op is cut out of it, and what is left of a copy stays
 * that copy, shifted (or an add, when a few bytes are left of it).
 */
function rewrite(
  plan: WindowPlan,
  first: number,
  start: number,
  end: number,
  matches: readonly FarMatch[],
  result: WindowPlan,
): void {
  let op = first;
  let opStart = start;
  let next = 0;
  let cursor = start;
  while (cursor < end) {
    const match = matches[next];
    if (match !== undefined && match.at === cursor) {
      result.push(Op.Copy, match.length, match.position);
      cursor += match.length;
      next++;
      continue;
    }
    while (opStart + plan.sizes[op]! <= cursor) opStart += plan.sizes[op++]!;
    const pieceEnd = Math.min(opStart + plan.sizes[op]!, match?.at ?? end);
    const kind = plan.ops[op]! as Op;
    const size = pieceEnd - cursor;
    const shifted = plan.from[op]! + (cursor - opStart);
    if (kind === Op.Add || ((kind === Op.Copy || kind === Op.CopyTarget) && size < MIN_PIECE))
      result.push(Op.Add, size, cursor);
    else if (kind === Op.Run) result.push(Op.Run, size, cursor);
    else result.push(kind, size, shifted);
    cursor = pieceEnd;
  }
}

/**
 * How far target bytes `floor`..`ceiling` agree with the reference around `position`, which
 * `at` hashed like: followed back from `at` and forward, reading the reference as it goes.
 */
async function matchAt(
  search: FarSearch,
  at: number,
  floor: number,
  ceiling: number,
  position: number,
): Promise<FarMatch> {
  const { target, reference, scratch, signal } = search;
  const back = Math.min(at - floor, position, MAX_BACKWARD);
  const limit = Math.min(ceiling - at, reference.size - position);
  // scratch[back + i] holds reference byte position + chunkStart + i.
  let chunkStart = 0;
  let chunk = Math.min(limit, FIRST_READ);
  await readRangeInto(reference, scratch, 0, position - back, position + chunk, signal);
  const backward = agreeingBefore(target, at, scratch, back, back);
  let forward = 0;
  for (;;) {
    const offset = back - chunkStart;
    const chunkEnd = chunkStart + chunk;
    while (forward < chunkEnd && target[at + forward] === scratch[offset + forward]) forward++;
    if (forward < chunkEnd || forward === limit) break;
    // All of it agreed: read on, more at a time.
    chunkStart = forward;
    chunk = Math.min(limit - forward, 4 * chunk, MAX_READ);
    await readRangeInto(
      reference,
      scratch,
      back,
      position + forward,
      position + forward + chunk,
      signal,
    );
  }
  return { at: at - backward, position: position - backward, length: backward + forward };
}
