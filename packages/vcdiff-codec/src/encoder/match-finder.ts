import { BLOCK, hashBlock, rollHash } from './block-hash.js';
import type { SourceWindow } from './source-window.js';

export const Op = { Add: 1, Run: 2, Copy: 3 } as const;
type Op = (typeof Op)[keyof typeof Op];

/**
 * A window's instructions: for ADD and RUN `from` is an offset in the target window, for COPY
 * a position in the reference.
 */
export interface WindowPlan {
  readonly ops: number[];
  readonly sizes: number[];
  readonly from: number[];
}

/** Runs of one byte this long go as a RUN (the data holds one byte instead of all of them). */
const MIN_RUN = 24;

/**
 * Finds how to rebuild `target` from the source window: walks the target with a rolling hash,
 * and wherever a block's hash names a source position whose bytes agree, copies as far forward
 * and back as they keep agreeing; what is left is added (or run, for one repeated byte).
 */
export function findMatches(target: Uint8Array, source: SourceWindow | undefined): WindowPlan {
  const plan: WindowPlan = { ops: [], sizes: [], from: [] };
  const sourceBytes = source?.bytes ?? new Uint8Array(0);
  const sourceStart = source?.start ?? 0;
  const length = target.length;
  let added = 0; // where the bytes not yet covered by an instruction begin
  let at = 0;
  let hash = length >= BLOCK ? hashBlock(target, 0) : 0;
  while (at + BLOCK <= length) {
    const candidate = source ? source.candidate(hash) : -1;
    if (candidate >= 0) {
      const match = extend(target, at, added, sourceBytes, candidate - sourceStart);
      if (match.forward >= BLOCK) {
        const begin = at - match.backward;
        flushAdds(plan, target, added, begin);
        push(plan, Op.Copy, match.forward + match.backward, candidate - match.backward);
        at += match.forward;
        added = at;
        if (at + BLOCK <= length) hash = hashBlock(target, at);
        continue;
      }
    }
    hash = rollHash(hash, target[at]!, target[at + BLOCK] ?? 0);
    at++;
  }
  flushAdds(plan, target, added, length);
  return plan;
}

function extend(
  target: Uint8Array,
  at: number,
  added: number,
  source: Uint8Array,
  position: number,
): { forward: number; backward: number } {
  let forward = 0;
  const forwardLimit = Math.min(target.length - at, source.length - position);
  while (forward < forwardLimit && target[at + forward] === source[position + forward]) forward++;
  let backward = 0;
  if (forward >= BLOCK) {
    const backwardLimit = Math.min(at - added, position);
    while (
      backward < backwardLimit &&
      target[at - backward - 1] === source[position - backward - 1]
    )
      backward++;
  }
  return { forward, backward };
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
