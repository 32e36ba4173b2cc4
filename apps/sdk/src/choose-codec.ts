import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { DeltaCodec } from '@deltaglider/core';
import { createXdelta3Codec } from '@deltaglider/xdelta3-codec';
import { type CodecName, codecNames } from './codec-names.js';
import { createVcdiffCodec } from './codecs/vcdiff-delta-codec.js';

export interface CodecChoice {
  readonly name?: CodecName | undefined;
  readonly xdelta3Level?: number | undefined;
  readonly codecLevel?: number | undefined;
  readonly tempDirectory: () => string;
}

/** The codec for `choice.name`, else `$DG_CODEC`, else `auto`. */
export function chooseCodec(choice: CodecChoice): DeltaCodec {
  const name = choice.name ?? codecNameFromEnvironment() ?? 'auto';
  const binary = process.env.DG_XDELTA3 ?? 'xdelta3';
  if (name === 'ts' || (name === 'auto' && !isInstalled(binary)))
    return createVcdiffCodec({ tempDirectory: choice.tempDirectory, level: choice.codecLevel });
  return createXdelta3Codec({
    tempDirectory: choice.tempDirectory,
    level: choice.xdelta3Level,
  });
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
