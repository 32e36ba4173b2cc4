import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CodecError, type DeltaCodec, type SpooledBody } from '@deltaglider/core';
import { fileSource } from '@deltaglider/fs-adapter';
import {
  checkEncoderLevel,
  DEFAULT_ENCODER_LEVEL,
  decodeVcdiffStream,
  encodeVcdiffStream,
  VCDIFF_ENCODER_COMMAND,
  CodecError as VcdiffError,
} from '@deltaglider/vcdiff-codec';

export interface VcdiffCodecOptions {
  /** Where encoded deltas are spooled, or a function that says so on first use. Default the OS temp directory. */
  readonly tempDirectory?: string | (() => string);
  /** Target bytes per VCDIFF window. Default 8 MiB, as xdelta3. */
  readonly windowSize?: number | undefined;
  /**
   * Reference bytes held and densely indexed at a time (xdelta3's -B). Default 64 MiB, as
   * xdelta3. A bigger reference is also indexed whole, sparsely (docs/codec.md).
   */
  readonly sourceWindowSize?: number | undefined;
  /**
   * The encoder's level, 1 (fastest) to 9 (smallest). Default 6, or `$DG_CODEC_LEVEL`; see
   * docs/codec.md for what each level costs and saves. Every level decodes anywhere.
   */
  readonly level?: number | undefined;
}

/**
 * A `DeltaCodec` in TypeScript alone, no program to install: it encodes VCDIFF with xdelta3's
 * LZMA secondary compression (which stock xdelta3 decodes) and decodes what xdelta3 writes.
 * Streams both ways; memory is one window and the source window, whatever the file sizes.
 */
export function createVcdiffCodec(options: VcdiffCodecOptions = {}): DeltaCodec {
  const temp = () =>
    typeof options.tempDirectory === 'function'
      ? options.tempDirectory()
      : (options.tempDirectory ?? tmpdir());
  const level = checkEncoderLevel(codecLevelFor(options.level));
  const encodeOptions = {
    windowSize: options.windowSize,
    sourceWindowSize: options.sourceWindowSize,
    level,
  };
  return {
    encoderCommand: `${VCDIFF_ENCODER_COMMAND} -${level}`,
    async encode(reference, target, request = {}): Promise<SpooledBody> {
      const directory = await mkdtemp(join(temp(), 'vcdiff-'));
      const dispose = () => rm(directory, { recursive: true, force: true });
      try {
        const deltaPath = join(directory, 'delta');
        const signal = request.signal ? { signal: request.signal } : {};
        await pipeline(
          Readable.from(
            asCoreErrors(encodeVcdiffStream(reference, target, { ...encodeOptions, ...signal })),
            { highWaterMark: 1 },
          ),
          createWriteStream(deltaPath),
          signal,
        );
        return { ...fileSource(deltaPath, (await stat(deltaPath)).size), dispose };
      } catch (error) {
        await dispose();
        throw error;
      }
    },
    decode(reference, delta, request = {}) {
      return asCoreErrors(decodeVcdiffStream(reference, delta, request));
    },
  };
}

/** The level a codec made with `level` encodes at: `level`, else `$DG_CODEC_LEVEL`, else 6 (not checked). */
export function codecLevelFor(level: number | undefined): number {
  const text = process.env.DG_CODEC_LEVEL;
  return level ?? (text ? Number(text) : undefined) ?? DEFAULT_ENCODER_LEVEL;
}

/** The codec's own errors, as core's `CodecError`: what every other codec raises. */
async function* asCoreErrors(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* bytes;
  } catch (error) {
    throw error instanceof VcdiffError ? new CodecError(error.message, { cause: error }) : error;
  }
}
