import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync, statSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BodySource } from '@deltaglider/core';
import { fileSource, writeNewFile } from '@deltaglider/fs-adapter';
import { decodeVcdiffStream, encodeVcdiffStream } from '@deltaglider/vcdiff-codec';
import { createXdelta3Codec } from '@deltaglider/xdelta3-codec';
import { xdelta3DecodeArgs } from './xdelta3-decode-args.js';

// One TypeScript-codec run in a process of its own, so its peak RSS (VmHWM) is the codec's and
// Node's alone: forked by the codec suite with a job, it answers with wall time and peak RSS.
// With `repeat`, the same run again in the same process: how fast it is once V8 has compiled
// the codec (an SDK client, `cp --recursive`, the exporter), beside the fresh process's first.
// A `floor` job decodes nothing: it does a decode's file I/O alone (the delta read, the
// reference read into new memory and copied once into a window of new memory, that written),
// what a fresh process pays for a pair before any codec runs. An `xdelta3-decode` job decodes
// as a DeltaGlider user with xdelta3 installed does: through the xdelta3 codec (the program
// spawned, the delta on its stdin, the file from its stdout), with the same file I/O around it.
// An `xdelta3-program` job spawns `xdelta3 -d` on the files, as the suite does, but from a
// process as fresh as the one our decoder's first decode runs in.

export interface CodecJob {
  readonly operation: 'encode' | 'decode' | 'xdelta3-decode' | 'xdelta3-program' | 'floor';
  readonly reference: string;
  /** encode: the new file; the others: the delta. */
  readonly input: string;
  readonly output: string;
  /** encode: the built-in codec's level (1-9); default its default. */
  readonly level?: number | undefined;
  /** Runs in all, the first counted as `wallMs` and the fastest of the rest as `warmWallMs`. */
  readonly repeat?: number | undefined;
}

export interface CodecJobResult {
  readonly wallMs: number;
  readonly peakRssMb: number;
  /** With `repeat` over 1: the fastest run after the first. */
  readonly warmWallMs?: number | undefined;
}

function peakRssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) / 1024;
}

/** What each job's operation does, between the clock's start and its stop. */
const operations: Record<
  CodecJob['operation'],
  (job: CodecJob, reference: BodySource, input: BodySource) => Promise<void>
> = {
  async encode(job, reference, input) {
    const output = encodeVcdiffStream(reference, input, { level: job.level });
    await pipeline(Readable.from(output, { highWaterMark: 1 }), createWriteStream(job.output));
  },
  async decode(job, reference, input) {
    // As the SDK's download writes a file: the next window is asked for while the last one is
    // written, and that write ends before the one after (so the windows take turns in two
    // buffers). The delta is read as the file:// store hands an object over (`fileChunks`).
    const output = decodeVcdiffStream(reference, input.read(), { reuseChunks: true });
    await writeNewFile(job.output, output);
  },
  async 'xdelta3-decode'(job, reference, input) {
    const codec = createXdelta3Codec({ tempDirectory: dirname(job.output) });
    await writeNewFile(job.output, codec.decode(reference, input.read()));
  },
  async 'xdelta3-program'(job) {
    const program = spawn('xdelta3', xdelta3DecodeArgs(job.reference, job.input, job.output), {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const [code] = await once(program, 'exit');
    if (code !== 0) throw new Error(`xdelta3 -d exited ${code}`);
  },
  async floor(job, reference, input) {
    for await (const _chunk of input.read());
    if (!reference.readInto) throw new Error('a file source reads by position');
    const bytes = new Uint8Array(reference.size);
    await reference.readInto(bytes, 0, { start: 0, end: reference.size });
    const window = new Uint8Array(bytes.length);
    window.set(bytes);
    await writeNewFile(
      job.output,
      (async function* () {
        yield window;
      })(),
    );
  },
};

async function runOnce(job: CodecJob): Promise<number> {
  const reference = fileSource(job.reference, statSync(job.reference).size);
  // The input's size, as a store knows an object's from its listing or header.
  const input = fileSource(job.input, statSync(job.input).size);
  const started = performance.now();
  // What opening it to write would truncate (timed as before): the file is written anew.
  await unlink(job.output).catch(() => undefined);
  await operations[job.operation](job, reference, input);
  return performance.now() - started;
}

process.once('message', async (job: CodecJob) => {
  const wallMs = await runOnce(job);
  let warmWallMs: number | undefined;
  for (let run = 1; run < (job.repeat ?? 1); run++)
    warmWallMs = Math.min(warmWallMs ?? Number.POSITIVE_INFINITY, await runOnce(job));
  const result: CodecJobResult = { wallMs, peakRssMb: peakRssMb(), warmWallMs };
  process.send?.(result, () => process.exit(0));
});
