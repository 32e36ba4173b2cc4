import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileSource } from '@deltaglider/fs-adapter';
import { decodeVcdiffStream, encodeVcdiffStream } from '@deltaglider/vcdiff-codec';

// One TypeScript-codec run in a process of its own, so its peak RSS (VmHWM) is the codec's and
// Node's alone: forked by the codec suite with a job, it answers with wall time and peak RSS.

export interface CodecJob {
  readonly operation: 'encode' | 'decode';
  readonly reference: string;
  /** encode: the new file; decode: the delta. */
  readonly input: string;
  readonly output: string;
  /** encode: the built-in codec's level (1-9); default its default. */
  readonly level?: number | undefined;
}

export interface CodecJobResult {
  readonly wallMs: number;
  readonly peakRssMb: number;
}

function peakRssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) / 1024;
}

process.once('message', async (job: CodecJob) => {
  const reference = fileSource(job.reference, statSync(job.reference).size);
  const started = performance.now();
  const output =
    job.operation === 'encode'
      ? encodeVcdiffStream(reference, fileSource(job.input, statSync(job.input).size), {
          level: job.level,
        })
      : decodeVcdiffStream(reference, createReadStream(job.input));
  await pipeline(Readable.from(output, { highWaterMark: 1 }), createWriteStream(job.output));
  const result: CodecJobResult = { wallMs: performance.now() - started, peakRssMb: peakRssMb() };
  process.send?.(result, () => process.exit(0));
});
