import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { DeltaCodec } from '@deltaglider/core';
import { createXdelta3Codec, xdelta3LevelFor } from '@deltaglider/xdelta3-codec';
import { type CodecName, codecNames } from './codec-names.js';
import { withBuiltInDecoding } from './codecs/built-in-decoding.js';
import { codecLevelFor, createVcdiffCodec } from './codecs/vcdiff-delta-codec.js';

export interface CodecChoice {
  readonly name?: CodecName | undefined;
  readonly xdelta3Level?: number | undefined;
  readonly codecLevel?: number | undefined;
  readonly tempDirectory: () => string;
}

/**
 * Per level of the xdelta3 program, the highest level of the built-in codec that writes smaller
 * deltas in less time (measured on the npm release corpus: BENCHMARKS.md, "The codec on real
 * releases"). At `xdelta3 -9`, the Python tool's level, levels 1-7 take 0.50-0.86x its time for
 * 0.60-0.66x its bytes (8 and 9 are within a run's noise of its time); at `-3`, our default for
 * the program, none is as fast; levels 4-8 of the program were not measured.
 */
const BUILT_IN_BEATS_PROGRAM: Readonly<Record<number, number>> = { 9: 7 };

/**
 * The codec for `choice.name`, else `$DG_CODEC`, else `auto`: the program where it is installed,
 * unless the built-in codec beats it on both size and time at the levels asked for. Under
 * `auto` the program only encodes: the built-in codec decodes every delta it reads, faster than
 * the program as DeltaGlider runs it (`withBuiltInDecoding`).
 */
export function chooseCodec(choice: CodecChoice): DeltaCodec {
  const name = choice.name ?? codecNameFromEnvironment() ?? 'auto';
  const binary = process.env.DG_XDELTA3 ?? 'xdelta3';
  const builtIn = () =>
    createVcdiffCodec({ tempDirectory: choice.tempDirectory, level: choice.codecLevel });
  if (name === 'ts' || (name === 'auto' && (builtInBeatsProgram(choice) || !isInstalled(binary))))
    return builtIn();
  const program = createXdelta3Codec({
    tempDirectory: choice.tempDirectory,
    level: choice.xdelta3Level,
  });
  return name === 'auto' ? withBuiltInDecoding(program, builtIn()) : program;
}

/** Whether the built-in codec beats the program at the levels each would run at. */
function builtInBeatsProgram(choice: CodecChoice): boolean {
  const highest = BUILT_IN_BEATS_PROGRAM[xdelta3LevelFor(choice.xdelta3Level)];
  return highest !== undefined && codecLevelFor(choice.codecLevel) <= highest;
}

function codecNameFromEnvironment(): CodecName | undefined {
  const text = process.env.DG_CODEC;
  if (!text) return undefined;
  if (!(codecNames as readonly string[]).includes(text))
    throw new RangeError(`DG_CODEC must be one of ${codecNames.join(', ')}, not "${text}"`);
  return text as CodecName;
}

/** True when `binary` names an executable file, directly or through PATH. */
export function isInstalled(binary: string): boolean {
  const candidates = /[\\/]/.test(binary)
    ? [binary]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .flatMap((directory) =>
          process.platform === 'win32'
            ? [join(directory, `${binary}.exe`), join(directory, binary)]
            : [join(directory, binary)],
        );
  return candidates.some((path) => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
}
