import { summedInWebAssembly } from './adler32.js';
import { AsyncByteReader } from './async-byte-reader.js';
import { eachAtMost } from './at-most.js';
import { ByteReader } from './byte-reader.js';
import type { ByteSource } from './byte-source.js';
import { ChunkPair } from './chunk-pair.js';
import { CodecError } from './codec-error.js';
import { concatBytes } from './concat-bytes.js';
import { prepareWasmLzmaChunks } from './lzma/wasm-lzma-chunks.js';
import { fastestLzmaChunks, scriptLzmaChunks } from './lzma/xz-section-stream.js';
import { readRangeInto } from './read-range.js';
import {
  blockSpan,
  DIRECT_COPY,
  PARALLEL_READS,
  readsThatFit,
  SourceBlocks,
} from './source-blocks.js';
import {
  bytesSegment,
  prefilledSegment,
  type SourceSegment,
  unlistedSegment,
} from './source-segment.js';
import { SPAN_READS_PER_BLOCK, straightSpans } from './straight-spans.js';
import { VCD_SOURCE, VCD_TARGET } from './vcdiff-format.js';
import { MOST_APPHEADER_BYTES, readVcdiffHeader } from './vcdiff-header.js';
import { WasmWindows } from './wasm-windows.js';
import {
  MAX_WINDOW_BYTES,
  type ParsedWindow,
  type SourceCopy,
  WindowDecoder,
} from './window-decoder.js';
import { WindowDryRun } from './window-dry-run.js';

/** A window's encoding is its sections; even uncompressed they stay within a few window sizes. */
const MAX_ENCODING_BYTES = 8 * MAX_WINDOW_BYTES;
/** Bytes of the delta read ahead while a window runs: a window of xdelta3's, plain, or more. */
const READ_AHEAD = 4 * 1024 * 1024;
/**
 * With `reuseChunks`, a window run in WebAssembly is handed over in pieces this long, so its two
 * buffers are 1 MiB each, not a window each: less fresh memory to fault in, and less for V8 to
 * count (a decode of esbuild-wasm's two windows held 63 MB outside the heap, V8's limit before
 * it collects garbage is 64).
 */
const HANDOVER_PIECE = 1024 * 1024;

/** How `decodeVcdiffStream` hands over the file. */
export interface VcdiffDecodeOptions {
  readonly signal?: AbortSignal | undefined;
  /**
   * The caller has let go of each chunk by the time it asks for the one after next (it writes
   * a chunk while it asks for the next, and awaits that write first), so chunks may take turns
   * in two buffers instead of fresh memory each (`ChunkPair`), and the last window may go out of
   * the memory it was built in. Never for a caller that keeps chunks (collects them, or buffers
   * them in a stream). Default false.
   */
  readonly reuseChunks?: boolean | undefined;
}

/**
 * Rebuilds a file from its reference and a streaming VCDIFF delta, one window at a time: memory
 * holds one window's encoding and up to 4 MiB of the delta after it, its target (at most 64
 * MiB, xdelta3 writes 8 MiB) and at most 64 1 MiB blocks of the reference for its short copies
 * (`SourceBlocks`, or the slots of the WebAssembly runner, `WasmWindows`); long copies are read
 * straight into the target when the reference can seek (`readSource`), unless the WebAssembly
 * runner holds their blocks already or reads the window's segment whole (a local file of 64 MiB
 * or less, or a bigger one where the window lacks at most twice its length of the segment).
 */
export function decodeVcdiffStream(
  reference: ByteSource,
  delta: AsyncIterable<Uint8Array>,
  options: VcdiffDecodeOptions = {},
): AsyncIterable<Uint8Array> {
  return decodeWindows(reference, delta, { ...options, runner: 'fastest' });
}

/**
 * Who runs the windows: WebAssembly where it runs and the window is worth it (`fastest`), or
 * for every window it can, or TypeScript alone. The tests hold the last two to the same answers.
 */
export type WindowRunner = 'fastest' | 'webassembly' | 'typescript';

export async function* decodeWindows(
  reference: ByteSource,
  delta: AsyncIterable<Uint8Array>,
  options: VcdiffDecodeOptions & { runner: WindowRunner },
): AsyncIterable<Uint8Array> {
  const webAssembly = options.runner !== 'typescript';
  // Compiled while the delta's first bytes are on their way, for the first decode of a process.
  const compiles = webAssembly
    ? { windows: WasmWindows.prepare(), lzma: prepareWasmLzmaChunks() }
    : undefined;
  const reader = new AsyncByteReader(delta);
  try {
    const header = readVcdiffHeader(await headerReader(reader));
    // Sections are decompressed as their window is read; a module is waited for, not compiled
    // again, where a window needs it (`precompile`).
    if (compiles && header.secondary !== undefined) await compiles.lzma;
    const windows = new WindowDecoder(header, webAssembly ? fastestLzmaChunks : scriptLzmaChunks);
    const blocks = new SourceBlocks(reference);
    // Made for the first window that has a use for it: its memory is set aside then.
    const fastRunner = webAssembly ? onFirstUse(() => WasmWindows.create(reference)) : none;
    let fastChosen = false;
    let previous: { start: number; bytes: Uint8Array } = { start: 0, bytes: new Uint8Array(0) };
    const pair = options.reuseChunks ? new ChunkPair() : undefined;
    while (!(await reader.atEnd())) {
      options.signal?.throwIfAborted();
      const indicator = await reader.byte();
      let segment: { position: number; length: number; fromTarget: boolean } | undefined;
      if (indicator & (VCD_SOURCE | VCD_TARGET)) {
        const length = await reader.varint();
        const position = await reader.varint();
        segment = { position, length, fromTarget: (indicator & VCD_SOURCE) === 0 };
        if (!segment.fromTarget && position + length > reference.size)
          throw new CodecError('the delta refers past the end of its reference: wrong reference?');
      }
      const encodingLength = await reader.varint();
      if (encodingLength > MAX_ENCODING_BYTES)
        throw new CodecError(`not a VCDIFF delta: a ${encodingLength}-byte window encoding`);
      const encoding = await reader.take(encodingLength);
      reader.readAhead(READ_AHEAD);
      const window = windows.read(
        new ByteReader(encoding, 0, encoding.length, 'window'),
        indicator,
        segment?.length ?? 0,
      );
      const from = segment ?? { position: 0, length: 0 };
      const dryRun = new WindowDryRun(window, from.position);
      // Once WebAssembly runs a window, it runs the rest: its memory is set aside then, and
      // windows run in TypeScript beside it only added garbage (three: 38 -> 54 ms).
      fastChosen ||=
        webAssembly &&
        !segment?.fromTarget &&
        (options.runner === 'webassembly' ||
          WasmWindows.suits(
            window,
            segment && reference.readInto ? () => dryRun.reads(DIRECT_COPY) : undefined,
          ));
      if (compiles && (fastChosen || needsWindowModule(window))) await compiles.windows;
      const fast = fastChosen && !segment?.fromTarget ? fastRunner() : undefined;
      if (fast) {
        const built = await fast.run(window, from, options.signal);
        // The window stays in the runner's memory, untouched until its next run, for a window
        // that copies from it (VCD_TARGET: run in TypeScript, never by the runner).
        previous = { start: previous.start + previous.bytes.length, bytes: built };
        yield* handedOver(built, pair && { pair, last: await reader.atEnd() });
        continue;
      }
      const target = pair?.take(window.targetLength) ?? new Uint8Array(window.targetLength);
      let source = bytesSegment(new Uint8Array(0));
      if (segment?.fromTarget)
        source = bytesSegment(earlierTarget(previous, segment.position, segment.length));
      else if (segment)
        source = await readSource(segment, { reference, blocks, target }, dryRun, options.signal);
      window.run(source, target);
      previous = { start: previous.start + previous.bytes.length, bytes: target };
      yield target;
    }
  } finally {
    await reader.close();
  }
}

/** Whether a window run in TypeScript sums its bytes with the window module. */
function needsWindowModule(window: ParsedWindow): boolean {
  return window.checksum !== undefined && summedInWebAssembly(window.targetLength);
}

/**
 * A window the WebAssembly runner built, as its caller gets it: a copy of its own; with
 * `reuseChunks`, 1 MiB pieces taking turns in `pair`, or, after the last window (nothing runs
 * in the runner's memory then), its pieces uncopied.
 */
function* handedOver(
  built: Uint8Array,
  reuse: { pair: ChunkPair; last: boolean } | undefined,
): Iterable<Uint8Array> {
  if (!reuse) {
    yield built.slice();
    return;
  }
  for (let at = 0; at < built.length; at += HANDOVER_PIECE) {
    const end = Math.min(at + HANDOVER_PIECE, built.length);
    if (reuse.last) {
      yield built.subarray(at, end);
      continue;
    }
    const piece = reuse.pair.take(end - at);
    piece.set(built.subarray(at, end));
    yield piece;
  }
}

/**
 * What a window copies from the reference, read. From a local file, where a few spans of it
 * hold them all (`straightSpans`: a release that changed little), every copy is read straight
 * into `target`, in those spans. Otherwise short copies go through blocks and long ones
 * straight into `target` (`readsThatFit` says which) unless their blocks are read anyway.
 * `dryRun` lists the window's copies (where they are few enough to list) and its reads.
 */
async function readSource(
  segment: { position: number; length: number },
  into: { reference: ByteSource; blocks: SourceBlocks; target: Uint8Array },
  dryRun: WindowDryRun,
  signal: AbortSignal | undefined,
): Promise<SourceSegment> {
  const { reference, blocks, target } = into;
  const readStraight = (reads: readonly SourceCopy[]) =>
    eachAtMost(reads, PARALLEL_READS, ({ here, start, size }) =>
      readRangeInto(reference, target, here, start, start + size, signal),
    );
  const listed = dryRun.copies();
  if (listed && reference.localPath !== undefined && reference.readInto) {
    const spans = straightSpans(listed);
    if (spans.length <= SPAN_READS_PER_BLOCK * blocks.lacking(spans)) {
      await readStraight(spans);
      return prefilledSegment(unlistedSegment(segment.length), segment.position, spans);
    }
  }
  const { reads } = readsThatFit(
    reference.readInto !== undefined,
    (direct) => dryRun.reads(direct),
    (reads) => reads.blocks.size,
  );
  // A long copy from blocks the short ones read anyway is copied from them when the window
  // runs: read straight in as well, lodash's tar read 4.5 MB of its 2.2 MB reference.
  const straight = reads.direct.filter((read) => !withinBlocks(read, reads.blocks));
  await Promise.all([blocks.load(reads.blocks, signal), readStraight(straight)]);
  return prefilledSegment(
    blocks.segment(segment.position, segment.length),
    segment.position,
    straight,
  );
}

/** Whether every byte of `read` (reference offsets) lies in one of `blocks`. */
function withinBlocks(read: { start: number; size: number }, blocks: ReadonlySet<number>): boolean {
  const { first, last } = blockSpan(read.start, read.size);
  for (let block = first; block <= last; block++) if (!blocks.has(block)) return false;
  return true;
}

/** `make`'s answer, made on the first call and kept. */
function onFirstUse<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

const none = () => undefined;

/**
 * The header is short but of unknown length (an application header may follow): it is parsed
 * from the bytes read so far, reading more while it runs short.
 */
async function headerReader(reader: AsyncByteReader): Promise<ByteReader> {
  const fixed = await reader.take(5);
  const indicator = fixed[4]!;
  const parts = [fixed];
  if (indicator & 0x01) parts.push(Uint8Array.of(await reader.byte()));
  if (indicator & 0x04) {
    const lengthBytes: number[] = [];
    let length = 0;
    for (;;) {
      const byte = await reader.byte();
      lengthBytes.push(byte);
      length = length * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0 || lengthBytes.length > 4) break;
    }
    // Refused before it is read (`readVcdiffHeader` would refuse it once read).
    if (length > MOST_APPHEADER_BYTES)
      throw new CodecError('not a VCDIFF delta: a huge application header');
    parts.push(Uint8Array.from(lengthBytes), await reader.take(length));
  }
  const header = concatBytes(parts);
  return new ByteReader(header, 0, header.length, 'header');
}

/** A VCD_TARGET segment: only the window just decoded is kept, which is what encoders use. */
function earlierTarget(
  previous: { start: number; bytes: Uint8Array },
  position: number,
  length: number,
): Uint8Array {
  const from = position - previous.start;
  if (from < 0 || from + length > previous.bytes.length)
    throw new CodecError('the delta copies from target bytes this decoder no longer holds');
  return previous.bytes.subarray(from, from + length);
}
