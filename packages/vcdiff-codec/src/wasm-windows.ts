import type { ByteSource } from './byte-source.js';
import { CodecError } from './codec-error.js';
import { eventLoopTurn } from './event-loop-turn.js';
import { readRangeInto } from './read-range.js';
import { ReadSchedule, type ScheduledRead } from './read-schedule.js';
import {
  BLOCK_SIZE,
  blockSpan,
  KEPT_BLOCKS,
  makeRoom,
  PARALLEL_READS,
  readBlock,
  readsThatFit,
} from './source-blocks.js';
import type { VcdiffWindowExports } from './vcdiff-window-exports.js';
import { VCDIFF_WINDOW_WASM } from './vcdiff-window-wasm.js';
import { instantiate, precompile, reserveMemory, WASM_PAGE } from './wasm-module.js';
import type { ParsedWindow, SourceReads } from './window-decoder.js';

/** A window's source segment: where in the reference it starts, and its length. */
interface Segment {
  readonly position: number;
  readonly length: number;
}

/** The window module's failures, worded as window-decoder.ts words them. */
const FAILURES: Record<number, string> = {
  1: 'not a VCDIFF delta: instructions write past the window',
  2: 'not a VCDIFF delta: a window is shorter than it says',
  4: 'not a VCDIFF delta: the instructions section ends early',
  5: 'not a VCDIFF delta: the addresses section ends early',
  6: 'not a VCDIFF delta: the data section ends early',
  7: 'not a VCDIFF delta: an integer in the instructions section is too large',
  8: 'not a VCDIFF delta: an integer in the addresses section is too large',
};
const BAD_COPY = 3;
/** `proceed` stopped where a read it needs has not ended yet. */
const PAUSED = 10;
/** A copy-length threshold no copy reaches: every copy comes out of the slots. */
const NOTHING_STRAIGHT = Number.MAX_SAFE_INTEGER;
const NO_SLOT = 0xffffffff;
/**
 * A window of fewer instruction bytes than one per this many target bytes is looked at first:
 * if it is mostly read straight from the reference, it runs in TypeScript.
 */
const SPARSE = 4096;
/**
 * That share of a window read straight from the reference: it runs in TypeScript. Its bytes
 * would only be copied out of WebAssembly's memory again, and the memory set aside for the
 * slots and the target made V8 collect garbage for its size (measured cold: prettier's 11 MB
 * 27 against 39 ms, typescript's 24 MB 40 against 48 ms, three's 21 MB 38 against 48). A
 * decode whose windows are mostly edits (the source tar: 230 against 147 ms) runs here.
 */
const MOSTLY_STRAIGHT = 3 / 4;
/**
 * From a local reference bigger than the slots, a window reads its segment whole when the
 * blocks it lacks are at most this many times its length (`wholeSegment`).
 */
const WHOLE_READ_BUDGET = 2;
/** A straight read the dry run lists: window offset, reference start, size (three f64s). */
const READ_ENTRY_BYTES = 24;

/** Where a window's sections are in the module's memory, and where its dry run lists reads. */
interface WindowLayout {
  readonly targetLength: number;
  readonly instructions: [at: number, length: number];
  readonly addresses: [at: number, length: number];
  readonly readsAt: number;
}

/**
 * How many straight reads a dry run at copy length `direct` may list: one per copy (two per
 * instruction byte at most), each `direct` bytes of the target or more (and a last one that
 * writes past it, which fails the window). Room for two per instruction byte made V8 count
 * tens of MB more outside its heap and collect garbage for it (esbuild-wasm's plain xdelta3
 * delta: 33 MB for its first window).
 */
function mostStraightReads(layout: WindowLayout, direct: number): number {
  return Math.min(2 * layout.instructions[1], Math.floor(layout.targetLength / direct) + 1);
}

function align(at: number, to = 8): number {
  return Math.ceil(at / to) * to;
}

/**
 * Windows with a source segment from the reference, run by the WebAssembly build of the
 * instruction loop (assembly/vcdiff-window.ts). The reference's blocks live in its memory, in
 * at most KEPT_BLOCKS slots of 1 MiB kept from window to window (least recently used first
 * out), so memory holds what the TypeScript decoder's blocks hold: the slots, one window's
 * target and its sections.
 */
export class WasmWindows {
  private readonly slotsAt: number;
  private readonly tableAt: number;
  /** A byte per reference block, and room to list them and their first uses: the dry run's. */
  private readonly seenAt: number;
  private readonly blocksAt: number;
  private readonly firstUsesAt: number;
  private readonly targetAt: number;
  /** Block number to slot, least recently used first. */
  private readonly slotOf = new Map<number, number>();
  private readonly freeSlots: number[] = [];
  /** The reference is a local file: reading more of it than a window copies costs little. */
  private readonly readsLocalFile: boolean;
  /**
   * The reference is a local file the slots hold whole: each window reads its segment's blocks
   * it lacks and skips the dry run (`wholeSegment`).
   */
  private readonly readsSegmentsWhole: boolean;

  /**
   * Whether `window` runs faster here than in TypeScript: unless it has few instructions and
   * most of it is read straight from the reference (a release that changed little).
   * `straightReads` lists its reads at DIRECT_COPY; undefined where there is nothing to read
   * straight (no segment of the reference, or a reference that cannot seek).
   */
  static suits(window: ParsedWindow, straightReads: (() => SourceReads) | undefined): boolean {
    const { targetLength } = window;
    if (!straightReads || window.codeBytes().instructions.length * SPARSE >= targetLength)
      return true;
    const straight = straightReads().direct.reduce((sum, read) => sum + read.size, 0);
    return straight < MOSTLY_STRAIGHT * targetLength;
  }

  /**
   * Starts compiling the module in the background, for the first `create` and the first
   * Adler-32 summed in WebAssembly (`precompile`): the promise ends with the compile.
   */
  static prepare(): Promise<void> {
    return precompile(VCDIFF_WINDOW_WASM);
  }

  /** Undefined where WebAssembly cannot run it (the TypeScript runner takes over). */
  static create(reference: ByteSource): WasmWindows | undefined {
    const exports = instantiate<VcdiffWindowExports>(VCDIFF_WINDOW_WASM);
    return exports && new WasmWindows(exports, reference);
  }

  private constructor(
    private readonly wasm: VcdiffWindowExports,
    private readonly reference: ByteSource,
  ) {
    const blocks = Math.ceil(reference.size / BLOCK_SIZE);
    const slots = Math.min(KEPT_BLOCKS, blocks);
    this.readsLocalFile = reference.localPath !== undefined;
    this.readsSegmentsWhole = this.readsLocalFile && blocks <= KEPT_BLOCKS;
    for (let slot = slots - 1; slot >= 0; slot--) this.freeSlots.push(slot);
    this.slotsAt = wasm.heapBase();
    this.tableAt = this.slotsAt + slots * BLOCK_SIZE;
    this.seenAt = this.tableAt + 4 * blocks;
    this.blocksAt = align(this.seenAt + blocks);
    this.firstUsesAt = align(this.blocksAt + 4 * blocks);
    this.targetAt = align(this.firstUsesAt + 8 * blocks, WASM_PAGE);
    this.reserve(this.targetAt);
    new Uint32Array(wasm.memory.buffer, this.tableAt, blocks).fill(NO_SLOT);
  }

  /**
   * Runs `window`, whose segment is `segment` of the reference: its bytes, checked against its
   * Adler-32 when it has one, where they were built in this runner's memory (until its next
   * run: the caller copies them out). Its data section is decompressed while its reads are in
   * flight, giving them turns of the event loop between its chunks (measured, level-6 deltas,
   * cold: esbuild-wasm 138 -> 134 ms, pdfjs-dist 128 -> 125; warm pdfjs-dist 100 -> 93). Then
   * it runs as far as the reads that have ended allow, and on as the others end.
   */
  async run(
    window: ParsedWindow,
    segment: Segment,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    const { wasm, targetAt } = this;
    const { instructions, addresses } = window.codeBytes();
    const { targetLength, dataLength } = window;
    const instructionsAt = align(targetAt + targetLength);
    const addressesAt = align(instructionsAt + instructions.length);
    const dataAt = align(addressesAt + addresses.length);
    // Where a dry run lists its straight reads (it makes room for them as it runs).
    const readsAt = align(dataAt + dataLength);
    this.reserve(readsAt);
    const sections = new Uint8Array(wasm.memory.buffer);
    sections.set(instructions, instructionsAt);
    sections.set(addresses, addressesAt);

    const whole = this.wholeSegment(segment, targetLength);
    // Its blocks the slots hold already are no read: making room only marks them recently used.
    const { direct, reads } = whole
      ? { direct: NOTHING_STRAIGHT, reads: this.blockReads(whole, new Map(), signal) }
      : this.readsOfWhatItCopies(
          {
            targetLength,
            instructions: [instructionsAt, instructions.length],
            addresses: [addressesAt, addresses.length],
            readsAt,
          },
          segment,
          signal,
        );
    // Taken again: the dry run may have grown the memory, which leaves views of it empty.
    const memory = new Uint8Array(wasm.memory.buffer);
    const schedule = new ReadSchedule(reads, PARALLEL_READS);
    try {
      memory.set(await window.dataBytes(eventLoopTurn), dataAt);
      wasm.begin(
        segment.position,
        segment.length,
        targetAt,
        targetLength,
        instructionsAt,
        instructions.length,
        addressesAt,
        addresses.length,
        dataAt,
        dataLength,
        direct,
        this.tableAt,
        this.slotsAt,
      );
      for (;;) {
        const result = wasm.proceed(schedule.until());
        if (result === 0) break;
        if (result !== PAUSED) this.fail(result);
        await schedule.next();
      }
    } finally {
      // Every read has ended once the window has run; a failure waits for them to.
      await schedule.settled();
    }
    if (
      window.checksum !== undefined &&
      wasm.adler32(targetAt, targetLength) >>> 0 !== window.checksum
    )
      throw new CodecError('the rebuilt window fails its Adler-32 check: wrong reference?');
    return memory.subarray(targetAt, targetAt + targetLength);
  }

  /**
   * The reads of what the window laid out in memory copies from `segment`, as its dry run lists
   * them, in the order it first copies from them: blocks into slots, long copies straight into
   * the target. With them, the copy length from which copies are read straight in.
   */
  private readsOfWhatItCopies(
    layout: WindowLayout,
    segment: Segment,
    signal: AbortSignal | undefined,
  ): { direct: number; reads: ScheduledRead[] } {
    const { wasm, targetAt } = this;
    const { direct, blocks, reads } = this.dryRun(layout, segment);
    const memory = new Uint8Array(wasm.memory.buffer);
    const straight = reads.map(
      ({ here, start, size }): ScheduledRead => ({
        firstUse: here,
        start: () =>
          readRangeInto(this.reference, memory, targetAt + here, start, start + size, signal),
      }),
    );
    return {
      direct,
      reads: inOrderOfUse(this.blockReads(new Set(blocks.keys()), blocks, signal), straight),
    };
  }

  /**
   * The blocks of `segment`, when the window is to have all of them in slots and skip its dry
   * run: when slots hold every one already (a window after the first, copying from where the
   * one before did); when the reference is a local file the slots hold whole (each of its
   * blocks is then read once at most, whatever the windows copy); or when it is a local file
   * of which the window lacks no more than `WHOLE_READ_BUDGET` times its own length (so a
   * decode reads at most that much more than it writes, however big the reference). Reading
   * blocks the copies may not need costs less there than the dry run saying which they need
   * (esbuild-wasm's plain `xdelta3 -1` delta, fresh process: 86 against 74 ms; the 97 MB
   * source tar with its halves swapped, `xdelta3 -1 -S none`: 472-490 against 393-407 ms).
   * Undefined otherwise: the dry run lists the reads, and long copies are read straight into
   * the target.
   */
  private wholeSegment(segment: Segment, targetLength: number): Set<number> | undefined {
    const blocks = new Set<number>();
    if (segment.length === 0) return blocks;
    const { first, last } = blockSpan(segment.position, segment.length);
    const local = this.readsLocalFile && last - first < KEPT_BLOCKS;
    let lacking = 0;
    for (let block = first; block <= last; block++) {
      if (!this.slotOf.has(block)) {
        if (!local) return undefined;
        lacking++;
      }
      blocks.add(block);
    }
    const withinBudget = lacking * BLOCK_SIZE <= WHOLE_READ_BUDGET * targetLength;
    return this.readsSegmentsWhole || withinBudget ? blocks : undefined;
  }

  /**
   * What the window's copies read of `segment` (`readsThatFit`), as its dry run in WebAssembly
   * lists them: run again for a shorter straight-read length when the blocks are too many.
   */
  private dryRun(
    layout: WindowLayout,
    segment: Segment,
  ): {
    direct: number;
    /** Block to the window offset that first copies from it, in that order. */
    blocks: Map<number, number>;
    reads: { here: number; start: number; size: number }[];
  } {
    const { wasm, seenAt, blocksAt, firstUsesAt } = this;
    const { reads: count, direct } = readsThatFit(
      this.reference.readInto !== undefined,
      (direct) => {
        this.reserve(layout.readsAt + mostStraightReads(layout, direct) * READ_ENTRY_BYTES);
        const blocks = wasm.plan(
          segment.position,
          segment.length,
          layout.targetLength,
          ...layout.instructions,
          ...layout.addresses,
          direct,
          seenAt,
          blocksAt,
          firstUsesAt,
          layout.readsAt,
        );
        return blocks < 0 ? this.fail(-blocks) : blocks;
      },
      (count) => count,
    );
    const numbers = new Uint32Array(wasm.memory.buffer, blocksAt, count);
    const firstUses = new Float64Array(wasm.memory.buffer, firstUsesAt, count);
    const blocks = new Map<number, number>();
    for (let index = 0; index < count; index++) blocks.set(numbers[index]!, firstUses[index]!);
    const listed = new Float64Array(wasm.memory.buffer, layout.readsAt, 3 * wasm.directReads.value);
    const reads: { here: number; start: number; size: number }[] = [];
    for (let read = 0; read < listed.length; read += 3)
      reads.push({ here: listed[read]!, start: listed[read + 1]!, size: listed[read + 2]! });
    return { direct, blocks, reads };
  }

  /**
   * Makes room for the blocks of `needed` (least recently used slots first out) and lists the
   * reads of those no slot holds, in the order `firstUses` gives (its window offsets).
   */
  private blockReads(
    needed: ReadonlySet<number>,
    firstUses: ReadonlyMap<number, number>,
    signal: AbortSignal | undefined,
  ): ScheduledRead[] {
    const { slotOf, freeSlots } = this;
    const table = new Uint32Array(this.wasm.memory.buffer, this.tableAt);
    const { missing, dropped } = makeRoom(slotOf, needed, slotOf.size + freeSlots.length);
    for (const [block, slot] of dropped) {
      table[block] = NO_SLOT;
      freeSlots.push(slot);
    }
    const memory = new Uint8Array(this.wasm.memory.buffer);
    const read = async (block: number) => {
      const slot = freeSlots.pop()!;
      try {
        await readBlock(this.reference, block, memory, this.slotsAt + slot * BLOCK_SIZE, signal);
      } catch (error) {
        freeSlots.push(slot); // it holds nothing: free for another block
        throw error;
      }
      slotOf.set(block, slot);
      table[block] = slot;
    };
    return missing
      .map((block) => ({ firstUse: firstUses.get(block) ?? 0, start: () => read(block) }))
      .sort((a, b) => a.firstUse - b.firstUse);
  }

  private reserve(bytes: number): void {
    if (!reserveMemory(this.wasm.memory, bytes))
      throw new CodecError(
        `a window of this delta needs ${bytes} bytes, more than this decoder has`,
      );
  }

  private fail(failure: number): never {
    if (failure === BAD_COPY)
      throw new CodecError(
        `not a VCDIFF delta: a COPY from ${this.wasm.failedAddress.value}, at or past ${this.wasm.failedHere.value}`,
      );
    throw new CodecError(FAILURES[failure] ?? `the WebAssembly window runner failed (${failure})`);
  }
}

/** Two lists of reads, each in order of first use, merged into one in that order. */
function inOrderOfUse(
  first: readonly ScheduledRead[],
  second: readonly ScheduledRead[],
): ScheduledRead[] {
  const merged: ScheduledRead[] = [];
  let a = 0;
  let b = 0;
  while (a < first.length || b < second.length) {
    const takeFirst =
      b >= second.length || (a < first.length && first[a]!.firstUse <= second[b]!.firstUse);
    merged.push(takeFirst ? first[a++]! : second[b++]!);
  }
  return merged;
}
