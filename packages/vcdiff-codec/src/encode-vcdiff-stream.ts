import type { ByteSource } from './byte-source.js';
import { EarlierBytes } from './encoder/earlier-bytes.js';
import {
  DEFAULT_ENCODER_LEVEL,
  type EncoderLevel,
  encoderLevel,
} from './encoder/encoder-levels.js';
import { FarCopies } from './encoder/far-copies.js';
import { FarIndex } from './encoder/far-index.js';
import { findMatches } from './encoder/match-finder.js';
import { SecondaryCompression } from './encoder/secondary-compression.js';
import { SourceWindow } from './encoder/source-window.js';
import { SparseRepeats } from './encoder/sparse-repeats.js';
import { encodeWindow } from './encoder/window-encoder.js';
import { Op, WindowPlan } from './encoder/window-plan.js';
import type { WindowRepeats } from './encoder/window-repeats.js';
import { readRangeInto } from './read-range.js';
import {
  RAW_SOURCE_APPHEADER,
  VCD_APPHEADER,
  VCD_DECOMPRESS,
  VCDIFF_MAGIC,
} from './vcdiff-format.js';
import { SECONDARY_LZMA } from './vcdiff-header.js';

export interface VcdiffEncodeOptions {
  /** Target bytes per VCDIFF window. Default 8 MiB, xdelta3's; at most 16 MiB, xdelta3's limit. */
  readonly windowSize?: number | undefined;
  /**
   * Reference bytes held and densely indexed at a time (xdelta3's -B). Default 64 MiB,
   * xdelta3's. A bigger reference is also indexed whole, sparsely, so bytes from anywhere in it
   * are still copied.
   */
  readonly sourceWindowSize?: number | undefined;
  /** 1 (fastest) to 9 (smallest). Default 6. */
  readonly level?: number | undefined;
  /** xdelta3's LZMA secondary compression of the sections. Default on; off writes plain RFC 3284. */
  readonly secondary?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export const DEFAULT_WINDOW_SIZE = 8 * 1024 * 1024;
export const DEFAULT_SOURCE_WINDOW_SIZE = 64 * 1024 * 1024;
const MAX_WINDOW_SIZE = 16 * 1024 * 1024;

/**
 * Encodes `target` as a VCDIFF delta against `reference` (RFC 3284 with Adler-32 per window,
 * and xdelta3's LZMA secondary compression unless `secondary` is false), which stock xdelta3
 * decodes. Memory: one target window, the source window and its index, a sampled index of the
 * whole reference when the window cannot hold it (8 MiB), and the LZMA dictionaries,
 * whatever the file sizes.
 */
export async function* encodeVcdiffStream(
  reference: ByteSource,
  target: ByteSource,
  options: VcdiffEncodeOptions = {},
): AsyncIterable<Uint8Array> {
  const windowSize = options.windowSize ?? DEFAULT_WINDOW_SIZE;
  const sourceWindowSize = Math.max(
    options.sourceWindowSize ?? DEFAULT_SOURCE_WINDOW_SIZE,
    windowSize,
  );
  if (!Number.isInteger(windowSize) || windowSize < 1 || windowSize > MAX_WINDOW_SIZE)
    throw new RangeError(`the VCDIFF window size must be 1 byte to 16 MiB, not ${windowSize}`);
  const level = encoderLevel(options.level ?? DEFAULT_ENCODER_LEVEL);
  const secondary =
    options.secondary === false
      ? undefined
      : new SecondaryCompression(level.data, level.other, target.size);
  // Version 0; VCD_DECOMPRESS and xdelta3's id for LZMA, or not; the application header.
  const appHeader = new TextEncoder().encode(RAW_SOURCE_APPHEADER);
  yield Uint8Array.of(
    ...VCDIFF_MAGIC,
    0x00,
    VCD_APPHEADER | (secondary ? VCD_DECOMPRESS : 0),
    ...(secondary ? [SECONDARY_LZMA] : []),
    appHeader.length,
    ...appHeader,
  );
  const source =
    reference.size > 0
      ? new SourceWindow(reference, sourceWindowSize, indexStep(level.sourceStep, reference.size))
      : undefined;
  // A reference the source window cannot hold whole is also indexed whole, sparsely: what the
  // window's matches leave is looked up there, so bytes moved anywhere in it are still copied.
  const far =
    source && reference.size > sourceWindowSize
      ? new FarCopies(await FarIndex.build(reference, options.signal), reference, source)
      : undefined;
  // How far the reference runs ahead of the target where they match: the source window is
  // centred there, so files that grew or shrank early still line up with their reference.
  let drift = 0;
  // One set of match tables for every window: memory stays what one window needs.
  const repeats = windowRepeats(level, secondary !== undefined, Math.min(windowSize, target.size));
  // One buffer for every window (nothing keeps its bytes once the window is encoded): fresh
  // memory costs a page fault per 4 KiB, measured at a fifth of a copy-heavy encode.
  const windowBytes = new Uint8Array(Math.min(windowSize, target.size));
  // Two plans, likewise: what the window's matcher found, and that with far copies added.
  const matched = new WindowPlan();
  const withFarCopies = new WindowPlan();
  for (let offset = 0; offset < target.size; offset += windowSize) {
    options.signal?.throwIfAborted();
    const end = Math.min(target.size, offset + windowSize);
    const bytes = windowBytes.subarray(0, end - offset);
    await readRangeInto(target, bytes, 0, offset, end, options.signal);
    await source?.cover(offset + drift, offset + drift + bytes.length, options.signal);
    let plan = findMatches(bytes, source, offset + drift, repeats, level.sourceDepth, matched);
    if (far) plan = await far.addTo(plan, bytes, withFarCopies, options.signal);
    drift = driftOf(plan, offset) ?? drift;
    yield encodeWindow(plan, bytes, secondary);
  }
  // xdelta3 refuses a delta with no window ("nothing to output"), and writes one empty window
  // for an empty file itself.
  if (target.size === 0) yield encodeWindow(new WindowPlan(), new Uint8Array(0), secondary);
}

/**
 * Positions indexed per file, at most: as the source window moves along a big reference each
 * part of it is indexed once, so the index's sampling is what bounds the time a big file takes
 * (the 1 GB archive bench: 20 s at every 4th position, 8 s at every 16th).
 */
const MAX_INDEXED_POSITIONS = 64 * 1024 * 1024;

/** The level's sampling of the reference, made sparser for files past 256 MiB. */
function indexStep(levelStep: number, referenceSize: number): number {
  const needed = 2 ** Math.ceil(Math.log2(Math.max(1, referenceSize / MAX_INDEXED_POSITIONS)));
  return Math.min(64, Math.max(levelStep, needed));
}

/**
 * Reference position minus target position of the window's last long copy, far ones included:
 * the bytes after a moved file are likely where it came from (an archive's second half moved to
 * its front: 250 KB and 4.5 s at level 6; following only far copies of 1 MiB or more, 864 KB and
 * 17.7 s, since the window's look-alikes cut far copies short). A shuffled archive moves the
 * window often, but its cost there is the matcher's search either way (measured: 17 against 19 s).
 */
function driftOf(plan: WindowPlan, offset: number): number | undefined {
  let here = offset;
  let drift: number | undefined;
  for (let index = 0; index < plan.length; index++) {
    if (plan.ops[index] === Op.Copy && plan.sizes[index]! >= 64) drift = plan.from[index]! - here;
    here += plan.sizes[index]!;
  }
  return drift;
}

/**
 * How a level finds repeats within the window: through chains of every position, or only the
 * long ones through a sparse index, leaving the rest to LZMA (levels 1-2). Plain VCDIFF has no
 * LZMA to leave them to.
 */
function windowRepeats(level: EncoderLevel, lzma: boolean, windowLength: number): WindowRepeats {
  const length = Math.max(1, windowLength);
  if (level.minTargetCopy === undefined)
    return lzma ? new SparseRepeats(length) : new EarlierBytes(length, 4, 16);
  return new EarlierBytes(length, level.targetDepth, level.minTargetCopy);
}
