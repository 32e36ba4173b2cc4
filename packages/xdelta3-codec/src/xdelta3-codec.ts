import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type BodySource,
  CodecError,
  CodecUnavailableError,
  type DeltaCodec,
  numberProblem,
  type SpooledBody,
} from '@deltaglider/core';
import { peekBody } from '@deltaglider/core/adapter-kit';
import { fileSource } from '@deltaglider/fs-adapter';
import { RAW_SOURCE_APPHEADER, sourceCompressionOf } from './source-compression.js';

export interface Xdelta3CodecOptions {
  /** The program to run. Default `xdelta3` from PATH (or `$DG_XDELTA3`). */
  readonly binary?: string | undefined;
  /** Where temp files go, or a function that says so on first use. Default the OS temp directory. */
  readonly tempDirectory?: string | (() => string);
  /**
   * xdelta3's compression level, 1 (fastest) to 9 (smallest). Default 3 (or `$DG_XDELTA3_LEVEL`):
   * on a 1 GB archive it encodes 2.4x faster than the Python tool's -9 for deltas at most 6 %
   * larger (BENCHMARKS.md). Every level decodes with any xdelta3.
   */
  readonly level?: number | undefined;
}

export const DEFAULT_XDELTA3_LEVEL = 3;

const INSTALL_HINT =
  'install it: apt-get install xdelta3 (Debian/Ubuntu), dnf install xdelta (Fedora), brew install xdelta (macOS)';

/**
 * Runs xdelta3 as the Python DeltaGlider does, on files so memory stays flat: encode
 * `xdelta3 -e -f -LEVEL -D -A=-//-/none -s REF FILE OUT` (level 3 unless told; the Python tool
 * uses 9; -D and -A: both files as they are, even compressed ones, see source-compression.ts),
 * decode `xdelta3 -d -c -s REF` (with -D when the delta names no source compression) with the
 * delta on stdin and the file on stdout. Sources without a local file are first copied to a
 * temp file.
 */
export function createXdelta3Codec(options: Xdelta3CodecOptions = {}): DeltaCodec {
  const binary = options.binary ?? process.env.DG_XDELTA3 ?? 'xdelta3';
  const level = xdelta3LevelFor(options.level);
  const problem = numberProblem(level, { min: 1, max: 9, whole: true });
  if (problem) throw new RangeError(`the xdelta3 level ${problem}, not ${level}`);
  const temp = () =>
    typeof options.tempDirectory === 'function'
      ? options.tempDirectory()
      : (options.tempDirectory ?? tmpdir());

  return {
    // The Python tool's shape (`dg-delta-cmd`); -D and -A change no byte of the format.
    encoderCommand: `xdelta3 -e -${level}`,
    async encode(reference, target, request = {}): Promise<SpooledBody> {
      const directory = await mkdtemp(join(temp(), 'xdelta3-'));
      const dispose = () => rm(directory, { recursive: true, force: true });
      try {
        const referencePath = await localFileOf(reference, join(directory, 'reference'));
        const targetPath = await localFileOf(target, join(directory, 'target'));
        const deltaPath = join(directory, 'delta');
        // Both files as they are (-D), and a header that says so to any xdelta3 -d (-A).
        const child = start(
          binary,
          [
            '-e',
            '-f',
            `-${level}`,
            '-D',
            `-A=${RAW_SOURCE_APPHEADER}`,
            '-s',
            referencePath,
            targetPath,
            deltaPath,
          ],
          'ignore',
          request.signal,
        );
        await finished(child, 'encode');
        return { ...fileSource(deltaPath, (await stat(deltaPath)).size), dispose };
      } catch (error) {
        await dispose();
        throw error;
      }
    },

    async *decode(reference, delta, request = {}) {
      const directory = await mkdtemp(join(temp(), 'xdelta3-'));
      try {
        const referencePath = await localFileOf(reference, join(directory, 'reference'));
        const { compression, bytes } = await withSourceCompression(delta);
        // A delta that names no source compression was made of the reference as it is: xdelta3
        // must not decompress a .tar.gz one (-D). One that names it is read as it says.
        const raw = compression === '' ? ['-D'] : [];
        const child = start(
          binary,
          ['-d', '-c', ...raw, '-s', referencePath],
          'pipe',
          request.signal,
        );
        const stdin = child.stdin;
        const stdout = child.stdout;
        if (!stdin || !stdout) throw new Error('xdelta3 started without pipes');
        // The delta flows in while the file flows out; xdelta3 exiting early (a corrupt delta)
        // breaks the pipe, which its exit code then explains.
        const feeding = pipeline(Readable.from(bytes), stdin).then(
          () => undefined,
          (error: unknown) => error,
        );
        const exit = finished(child, 'decode');
        exit.catch(() => undefined);
        try {
          yield* stdout as AsyncIterable<Uint8Array>;
          const fed = await feeding;
          if (fed !== undefined && !isBrokenPipe(fed)) throw fed;
          await exit;
        } finally {
          if (child.exitCode === null && child.signalCode === null) child.kill();
        }
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

/** The level a codec made with `level` runs xdelta3 at: `level`, else `$DG_XDELTA3_LEVEL`, else 3 (not checked). */
export function xdelta3LevelFor(level: number | undefined): number {
  const text = process.env.DG_XDELTA3_LEVEL;
  return level ?? (text ? Number(text) : undefined) ?? DEFAULT_XDELTA3_LEVEL;
}

/** Bytes of a delta read to find its application header: its header is far shorter. */
const HEADER_LOOK = 64 * 1024;

/**
 * The source compression `delta`'s application header names (`sourceCompressionOf`; '' for a
 * delta too short or too odd to say within HEADER_LOOK bytes), and the delta's bytes again.
 */
async function withSourceCompression(
  delta: AsyncIterable<Uint8Array>,
): Promise<{ compression: string; bytes: AsyncIterable<Uint8Array> }> {
  const { answer, body } = await peekBody(
    delta,
    (head) => sourceCompressionOf(head) ?? (head.byteLength >= HEADER_LOOK ? '' : undefined),
  );
  return { compression: answer ?? '', bytes: body };
}

/** The source's own file, or a copy of its bytes in `spare`. */
async function localFileOf(source: BodySource, spare: string): Promise<string> {
  if (source.localPath !== undefined) return source.localPath;
  await pipeline(Readable.from(source.read()), createWriteStream(spare));
  return spare;
}

function start(
  binary: string,
  args: string[],
  pipes: 'ignore' | 'pipe',
  signal: AbortSignal | undefined,
): ChildProcess {
  return spawn(binary, args, {
    stdio: [pipes, pipes, 'pipe'],
    signal,
  });
}

/** Resolves when the program exits 0; else a `CodecError` with its last line of stderr. */
function finished(child: ChildProcess, what: 'encode' | 'decode'): Promise<void> {
  const binary = child.spawnfile;
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(
          new CodecUnavailableError(`${binary} is not installed or not on PATH; ${INSTALL_HINT}`, {
            cause: error,
          }),
        );
      } else reject(error);
    });
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const reason = stderr.trim().split('\n').at(-1) || `exit code ${code}`;
      reject(new CodecError(`xdelta3 ${what} failed: ${reason.replace(/^xdelta3: /, '')}`));
    });
  });
}

function isBrokenPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET';
}
