import type { LzmaEffort } from '../lzma/lzma2-encoder.js';

/** What one `--codec-level` means: how hard each stage of the encoder works. */
export interface EncoderLevel {
  /** Every `sourceStep`-th reference position is indexed: 4 or 8 (matches from 19 or 39 bytes). */
  readonly sourceStep: number;
  /** Source positions compared per hash (the index's chain depth). */
  readonly sourceDepth: number;
  /**
   * The shortest copy from earlier in the window (shorter repeats are left to LZMA). Undefined:
   * only long repeats are copied, found through a sparse index, and LZMA finds the rest (fewer
   * bytes and less time than chains of every position, measured at levels 1-2).
   */
  readonly minTargetCopy: number | undefined;
  /** Earlier positions of the window compared per position, for copies within the target (0: sparse). */
  readonly targetDepth: number;
  /** LZMA for the data section (the bytes no copy covers: most of a delta). */
  readonly data: LzmaEffort;
  /** LZMA for the instruction and address sections (small, and alike from window to window). */
  readonly other: LzmaEffort;
}

const MIB = 1 << 20;

function effort(
  dictionarySize: number,
  depth: number,
  niceLength: number,
  lazy: boolean,
): LzmaEffort {
  return { dictionarySize, depth, niceLength, lazy };
}

/** Levels 1 to 9, fastest to smallest: docs/codec.md has what each costs, measured. */
export const ENCODER_LEVELS: Readonly<Record<number, EncoderLevel>> = {
  1: {
    minTargetCopy: undefined,
    sourceStep: 8,
    sourceDepth: 1,
    targetDepth: 0,
    data: effort(MIB, 4, 32, false),
    other: effort(MIB, 4, 32, false),
  },
  2: {
    minTargetCopy: undefined,
    sourceStep: 8,
    sourceDepth: 2,
    targetDepth: 0,
    data: effort(2 * MIB, 8, 48, false),
    other: effort(MIB, 8, 48, false),
  },
  3: {
    minTargetCopy: 32,
    sourceStep: 4,
    sourceDepth: 4,
    targetDepth: 8,
    data: effort(4 * MIB, 16, 64, true),
    other: effort(MIB, 16, 64, true),
  },
  4: {
    minTargetCopy: 32,
    sourceStep: 4,
    sourceDepth: 4,
    targetDepth: 16,
    data: effort(4 * MIB, 24, 96, true),
    other: effort(MIB, 24, 96, true),
  },
  5: {
    minTargetCopy: 64,
    sourceStep: 4,
    sourceDepth: 8,
    targetDepth: 16,
    data: effort(8 * MIB, 32, 128, true),
    other: effort(MIB, 32, 128, true),
  },
  6: {
    minTargetCopy: 64,
    sourceStep: 4,
    sourceDepth: 8,
    targetDepth: 32,
    data: effort(8 * MIB, 48, 192, true),
    other: effort(MIB, 48, 192, true),
  },
  7: {
    minTargetCopy: 64,
    sourceStep: 4,
    sourceDepth: 16,
    targetDepth: 32,
    data: effort(8 * MIB, 64, 273, true),
    other: effort(MIB, 64, 273, true),
  },
  8: {
    minTargetCopy: 64,
    sourceStep: 4,
    sourceDepth: 32,
    targetDepth: 64,
    data: effort(8 * MIB, 128, 273, true),
    other: effort(MIB, 128, 273, true),
  },
  9: {
    minTargetCopy: 64,
    sourceStep: 4,
    sourceDepth: 64,
    targetDepth: 128,
    data: effort(8 * MIB, 256, 273, true),
    other: effort(MIB, 256, 273, true),
  },
};

export const DEFAULT_ENCODER_LEVEL = 6;

/** `level` when it is one (1 to 9), else a RangeError that says so. */
export function checkEncoderLevel(level: number): number {
  if (!Number.isInteger(level) || ENCODER_LEVELS[level] === undefined)
    throw new RangeError(`the codec level must be a whole number from 1 to 9, not ${level}`);
  return level;
}

export function encoderLevel(level: number): EncoderLevel {
  return ENCODER_LEVELS[checkEncoderLevel(level)]!;
}
