import { eachAtMost } from './at-most.js';
import type { ByteSource } from './byte-source.js';
import { CodecError } from './codec-error.js';
import { copyBytes } from './copy-bytes.js';
import { readRangeInto } from './read-range.js';
import type { SourceSegment } from './source-segment.js';

export const BLOCK_SIZE = 1024 * 1024;
/** Reads of the reference in flight at once (blocks, and long copies read straight in). */
export const PARALLEL_READS = 8;
/** Blocks kept between windows: as much as xdelta3's default source window (-B 64 MiB). */
export const KEPT_BLOCKS = 64;

/**
 * Copies this long are read from a reference that can seek straight into the window's buffer:
 * not into a block first and then copied (on a 23 MB release of copies the blocks' fresh memory
 * and the second copy took a third of the decode). Shorter ones share their blocks' reads.
 */
export const DIRECT_COPY = 64 * 1024;
/** Shorter ones too, down to every copy, when the blocks a window's copies touch are too many. */
export const DIRECT_COPIES = [DIRECT_COPY, 4096, 256, 1];

/**
 * A window's reads of the reference, for the longest copy threshold of DIRECT_COPIES whose
 * short copies fit in the kept blocks (a delta made with a source window over 64 MiB, or with
 * copies from all over its reference, reads shorter and shorter copies straight in, so memory
 * stays what the blocks hold), and that threshold. A reference that cannot seek reads every
 * copy through blocks, and cannot serve a window that needs more: refused. Both window runners
 * choose their reads here: `readsFor` lists them for a threshold, `blocksOf` counts their blocks.
 */
export function readsThatFit<Reads>(
  seekable: boolean,
  readsFor: (direct: number) => Reads,
  blocksOf: (reads: Reads) => number,
): { reads: Reads; direct: number } {
  // No copy is that long: a finite number, as WebAssembly takes.
  const thresholds = seekable ? DIRECT_COPIES : [Number.MAX_SAFE_INTEGER];
  let blocks = 0;
  for (const direct of thresholds) {
    const reads = readsFor(direct);
    blocks = blocksOf(reads);
    if (blocks <= KEPT_BLOCKS) return { reads, direct };
  }
  throw new CodecError(
    `a window of this delta reads ${blocks} MiB of its reference at once, more than this decoder holds`,
  );
}

/** The first and last blocks that bytes `start`..`start + length` (length > 0) lie in. */
export function blockSpan(start: number, length: number): { first: number; last: number } {
  return {
    first: Math.floor(start / BLOCK_SIZE),
    last: Math.floor((start + length - 1) / BLOCK_SIZE),
  };
}

/** How many bytes block `block` of `reference` holds: BLOCK_SIZE, less for the last. */
function blockLength(reference: ByteSource, block: number): number {
  return Math.min(BLOCK_SIZE, reference.size - block * BLOCK_SIZE);
}

/** Reads block `block` of `reference` into `into` at `at`, as both window runners keep them. */
export function readBlock(
  reference: ByteSource,
  block: number,
  into: Uint8Array,
  at: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const start = block * BLOCK_SIZE;
  return readRangeInto(reference, into, at, start, start + blockLength(reference, block), signal);
}

/**
 * Blocks kept least recently used first out, as both window runners keep the reference's: moves
 * the blocks of `needed` that `kept` holds to its most recent end, and drops the least recently
 * used of the others until `room` holds them and the rest of `needed`. Returns the blocks of
 * `needed` it lacks (in order) and what it dropped, for the caller to read and to free.
 */
export function makeRoom<Kept>(
  kept: Map<number, Kept>,
  needed: ReadonlySet<number>,
  room: number,
): { missing: number[]; dropped: [number, Kept][] } {
  const missing: number[] = [];
  for (const block of [...needed].sort((a, b) => a - b)) {
    const held = kept.get(block);
    if (held === undefined) missing.push(block);
    else {
      kept.delete(block); // re-inserted: most recently used
      kept.set(block, held);
    }
  }
  const dropped: [number, Kept][] = [];
  for (const [block, held] of kept) {
    if (kept.size + missing.length <= room) break;
    if (needed.has(block)) continue;
    kept.delete(block);
    dropped.push([block, held]);
  }
  return { missing, dropped };
}

/**
 * The reference as 1 MiB blocks, read when a window's copies need them and kept, least recently
 * used first out, for the windows after it. xdelta3 declares its whole source window as every
 * window's segment; only the blocks its copies touch are read, each once while it stays.
 */
export class SourceBlocks {
  private readonly blocks = new Map<number, Uint8Array>();

  constructor(private readonly reference: ByteSource) {}

  /** Reads the blocks (indexes of BLOCK_SIZE bytes) in `needed` that it lacks. */
  async load(needed: ReadonlySet<number>, signal?: AbortSignal): Promise<void> {
    const { missing } = makeRoom(this.blocks, needed, KEPT_BLOCKS);
    // Read together: each is a positioned read of its own, and one after another they waited
    // on each other (a third of a decode's time went idle, measured).
    await eachAtMost(missing, PARALLEL_READS, (block) => this.read(block, signal));
  }

  /** How many of the blocks that `ranges` (reference offsets) lie in it does not hold. */
  lacking(ranges: readonly { readonly start: number; readonly size: number }[]): number {
    const lacking = new Set<number>();
    for (const { start, size } of ranges) {
      const { first, last } = blockSpan(start, size);
      for (let block = first; block <= last; block++)
        if (!this.blocks.has(block)) lacking.add(block);
    }
    return lacking.size;
  }

  /** The segment at `position`, of `length` bytes; its copies must have been `load`ed. */
  segment(position: number, length: number): SourceSegment {
    let lastIndex = -1;
    let last: Uint8Array = new Uint8Array(0);
    return {
      length,
      copyTo: (target, here, address, size) => {
        let from = position + address;
        let to = here;
        for (let left = size; left > 0; ) {
          const index = Math.floor(from / BLOCK_SIZE);
          if (index !== lastIndex) {
            lastIndex = index;
            last = this.blocks.get(index)!;
          }
          const block = last;
          const offset = from - index * BLOCK_SIZE;
          const count = Math.min(left, block.length - offset);
          copyBytes(block, offset, target, to, count);
          from += count;
          to += count;
          left -= count;
        }
      },
    };
  }

  private async read(block: number, signal?: AbortSignal): Promise<void> {
    const bytes = new Uint8Array(blockLength(this.reference, block));
    await readBlock(this.reference, block, bytes, 0, signal);
    this.blocks.set(block, bytes);
  }
}
