import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodecError, CodecUnavailableError, type DeltaCodec } from '@deltaglider/core';

export interface Xdelta3CodecOptions {
  /** The program to run. Default `xdelta3` from PATH (or `$DG_XDELTA3`). */
  readonly binary?: string;
  /** Where temp files go, or a function that says so on first use. Default the OS temp directory. */
  readonly tempDirectory?: string | (() => string);
}

const INSTALL_HINT =
  'install it: apt-get install xdelta3 (Debian/Ubuntu), dnf install xdelta (Fedora), brew install xdelta (macOS)';

/**
 * Runs xdelta3 with the Python DeltaGlider's flags, through temp files it removes afterwards:
 * encode `xdelta3 -e -f -9 -s REF FILE OUT`, decode `xdelta3 -d -f -s REF DELTA OUT`.
 */
export function createXdelta3Codec(options: Xdelta3CodecOptions = {}): DeltaCodec {
  const binary = options.binary ?? process.env.DG_XDELTA3 ?? 'xdelta3';
  const temp = () =>
    typeof options.tempDirectory === 'function'
      ? options.tempDirectory()
      : (options.tempDirectory ?? tmpdir());

  async function run(
    mode: '-e' | '-d',
    reference: Uint8Array,
    input: Uint8Array,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    const directory = await mkdtemp(join(temp(), 'xdelta3-'));
    try {
      const referencePath = join(directory, 'reference.bin');
      const inputPath = join(directory, 'input');
      const outputPath = join(directory, 'output');
      await writeFile(referencePath, reference);
      await writeFile(inputPath, input);
      const level = mode === '-e' ? ['-9'] : [];
      await runProgram(
        binary,
        [mode, '-f', ...level, '-s', referencePath, inputPath, outputPath],
        signal,
      );
      return await readFile(outputPath);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  return {
    encode: (reference, target, request = {}) => run('-e', reference, target, request.signal),
    decode: (reference, delta, request = {}) => run('-d', reference, delta, request.signal),
  };
}

function runProgram(
  binary: string,
  args: string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
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
      if (code === 0) resolve();
      else {
        const reason = stderr.trim().split('\n').at(-1) ?? `exit code ${code}`;
        reject(
          new CodecError(
            `xdelta3 ${args[0] === '-e' ? 'encode' : 'decode'} failed: ${reason.replace(/^xdelta3: /, '')}`,
          ),
        );
      }
    });
  });
}
