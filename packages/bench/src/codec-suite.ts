import { fork, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSimilarArchives, writeSourceArchives } from './big-files-suite.js';
import type { CodecJob, CodecJobResult } from './codec-scenario.js';
import { xdelta3DecodeArgs } from './xdelta3-decode-args.js';

// pnpm bench --suite codec [--sizes 100,1024] [--dir PATH]
// The TypeScript VCDIFF codec against the xdelta3 program (at -9, the Python tool's level, and
// at -3, our default; with and without its LZMA secondary compression) on similar release
// archives of each size (MB) and on a tar of real source files: encode and decode time and
// MB/s, delta size, peak RSS of the process doing the work. Every decoded file is checked.

const MIB = 1024 * 1024;

export interface CodecRow {
  readonly corpus: string;
  readonly sizeMb: number;
  readonly codec: string;
  readonly encodeSeconds: number;
  readonly encodeMbPerSecond: number;
  readonly deltaBytes: number;
  readonly decodeSeconds: number;
  readonly decodeMbPerSecond: number;
  readonly encodePeakRssMb: number;
  readonly decodePeakRssMb: number;
}

const XDELTA3_RUNS: readonly (readonly string[])[] = [
  ['-9'],
  ['-3'],
  ['-9', '-S', 'none'],
  ['-3', '-S', 'none'],
];

export async function runCodecSuite(options: {
  sizesMb: number[];
  directory: string;
  sourceTree: string;
}): Promise<CodecRow[]> {
  const rows: CodecRow[] = [];
  await mkdir(options.directory, { recursive: true });
  const pairs: [string, (a: string, b: string) => Promise<unknown>][] = [
    [
      'source tar (real files, edited, shifted)',
      (a, b) => writeSourceArchives(a, b, options.sourceTree, 100 * MIB),
    ],
    ...options.sizesMb.map(
      (size) =>
        [
          'release archives (4 KiB changed per 64 MiB, 1 MiB appended)',
          (a: string, b: string) => writeSimilarArchives(a, b, size * MIB),
        ] as [string, (a: string, b: string) => Promise<unknown>],
    ),
  ];
  for (const [corpus, write] of pairs) {
    const folder = join(options.directory, `codec-${rows.length}`);
    await mkdir(folder, { recursive: true });
    const v1 = join(folder, 'v1');
    const v2 = join(folder, 'v2');
    await write(v1, v2);
    const bytes = (await stat(v2)).size;
    const expected = await sha256Of(v2);
    const runs: [
      string,
      (delta: string) => Promise<RunTimes>,
      (d: string, o: string) => Promise<RunTimes>,
    ][] = [
      [
        'TypeScript codec',
        (delta) => tsJob({ operation: 'encode', reference: v1, input: v2, output: delta }),
        (delta, out) => tsJob({ operation: 'decode', reference: v1, input: delta, output: out }),
      ],
      ...XDELTA3_RUNS.map(
        (flags) =>
          [
            `xdelta3 ${flags.join(' ')}`,
            (delta: string) => xdelta3(['-e', '-f', ...flags, '-s', v1, v2, delta]),
            (delta: string, out: string) => xdelta3(xdelta3DecodeArgs(v1, delta, out)),
          ] as [
            string,
            (delta: string) => Promise<RunTimes>,
            (d: string, o: string) => Promise<RunTimes>,
          ],
      ),
    ];
    for (const [codec, encode, decode] of runs) {
      const delta = join(folder, 'delta');
      const out = join(folder, 'out');
      const encoded = await encode(delta);
      const decoded = await decode(delta, out);
      if ((await sha256Of(out)) !== expected) throw new Error(`${codec} decoded ${corpus} wrong`);
      const row: CodecRow = {
        corpus,
        sizeMb: Math.round(bytes / MIB),
        codec,
        encodeSeconds: encoded.wallMs / 1000,
        encodeMbPerSecond: bytes / MIB / (encoded.wallMs / 1000),
        deltaBytes: (await stat(delta)).size,
        decodeSeconds: decoded.wallMs / 1000,
        decodeMbPerSecond: bytes / MIB / (decoded.wallMs / 1000),
        encodePeakRssMb: encoded.peakRssMb,
        decodePeakRssMb: decoded.peakRssMb,
      };
      rows.push(row);
      console.log(formatCodecRow(row));
      await rm(out, { force: true });
    }
    await rm(folder, { recursive: true, force: true });
  }
  return rows;
}

export interface RunTimes {
  readonly wallMs: number;
  readonly peakRssMb: number;
}

export function tsJob(job: CodecJob): Promise<CodecJobResult> {
  const child = fork(new URL('./codec-scenario.js', import.meta.url), { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (result: CodecJobResult) => resolve(result));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`codec scenario exited ${code}`));
    });
    child.send(job);
  });
}

export function xdelta3(args: string[]): Promise<RunTimes> {
  return timedProgram('xdelta3', args);
}

/** Runs a program, sampling its peak RSS (VmHWM) from /proc until it exits. */
export function timedProgram(program: string, args: string[]): Promise<RunTimes> {
  const started = performance.now();
  const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  let peakKb = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0));
    } catch {
      // it exited between samples
    }
  };
  const sampler = setInterval(sample, 20);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      clearInterval(sampler);
      if (code !== 0) reject(new Error(`${program} ${args.join(' ')} exited ${code}`));
      else resolve({ wallMs: performance.now() - started, peakRssMb: peakKb / 1024 });
    });
  });
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function formatCodecRow(row: CodecRow): string {
  return [
    `${row.sizeMb} MB`.padStart(8),
    row.codec.padEnd(22),
    `encode ${row.encodeSeconds.toFixed(2)} s`.padStart(15),
    `${row.encodeMbPerSecond.toFixed(0)} MB/s`.padStart(10),
    `delta ${row.deltaBytes.toLocaleString('en-US')} B`.padStart(20),
    `decode ${row.decodeSeconds.toFixed(2)} s`.padStart(15),
    `${row.decodeMbPerSecond.toFixed(0)} MB/s`.padStart(10),
    `RSS ${row.encodePeakRssMb.toFixed(0)}/${row.decodePeakRssMb.toFixed(0)} MB`.padStart(16),
    `  ${row.corpus}`,
  ].join(' ');
}

/** The xdelta3 program's version line (it prints it on stderr), to name it in the results. */
export function xdelta3Version(): string {
  const run = spawnSync('xdelta3', ['-V'], { encoding: 'utf8' });
  if (run.error) return 'xdelta3 not installed';
  return `${run.stdout}${run.stderr}`.split('\n')[0]!.split(',')[0]!.trim();
}
