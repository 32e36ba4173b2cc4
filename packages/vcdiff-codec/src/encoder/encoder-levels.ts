import type { LzmaEffort } from '../lzma/lzma2-encoder.js';

/** What one `--codec-level` means: how hard each stage of the encoder works. */
export interface EncoderLevel {
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

/** Levels 1 to 9, fastest to smallest; measured in BENCHMARKS.md ("Codec levels"). */
export const ENCODER_LEVELS: Readonly<Record<number, EncoderLevel>> = {
  1: { data: effort(MIB, 4, 32, false), other: effort(MIB, 4, 32, false) },
  2: { data: effort(2 * MIB, 8, 48, false), other: effort(MIB, 8, 48, false) },
  3: { data: effort(4 * MIB, 16, 64, true), other: effort(MIB, 16, 64, true) },
  4: { data: effort(4 * MIB, 24, 96, true), other: effort(MIB, 24, 96, true) },
  5: { data: effort(8 * MIB, 32, 128, true), other: effort(MIB, 32, 128, true) },
  6: { data: effort(8 * MIB, 48, 192, true), other: effort(MIB, 48, 192, true) },
  7: { data: effort(8 * MIB, 64, 273, true), other: effort(MIB, 64, 273, true) },
  8: { data: effort(8 * MIB, 128, 273, true), other: effort(MIB, 128, 273, true) },
  9: { data: effort(8 * MIB, 256, 273, true), other: effort(MIB, 256, 273, true) },
};

export const DEFAULT_ENCODER_LEVEL = 6;

export function encoderLevel(level: number): EncoderLevel {
  const found = Number.isInteger(level) ? ENCODER_LEVELS[level] : undefined;
  if (!found)
    throw new RangeError(`the codec level must be a whole number from 1 to 9, not ${level}`);
  return found;
}
