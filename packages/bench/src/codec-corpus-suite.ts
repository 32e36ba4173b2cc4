import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeSimilarArchives, writeSourceArchives } from './big-files-suite.js';
import type { CodecJob } from './codec-scenario.js';
import { type RunTimes, sha256Of, timedProgram, tsJob, xdelta3 } from './codec-suite.js';
import { npmReleaseCorpus } from './npm-release-corpus.js';
import { xdelta3DecodeArgs } from './xdelta3-decode-args.js';

// pnpm bench --suite codec-corpus [--levels 1,...,9] [--sizes 1024] [--runs 3] [--corpus DIR] [--dir PATH] [--generated-only] [--pairs sharp,lodash,source,archives]
// Delta size, encode and decode time, MB/s and peak RSS on pairs of consecutive npm releases
// (see npm-release-corpus.ts), a tar of real source files and similar release archives: the
// built-in codec at each level, xdelta3 -1/-3/-9 with and without its LZMA secondary
// compression, and `zstd --patch-from` as an outside reference. Every delta is decoded by the
// xdelta3 program and by our decoder (zstd's by zstd), and each result is checked. Encodes and
// decodes run `--runs` times each (default 3), the fastest counted; the generated pairs'
// encodes, which take minutes (zstd, xdelta3 on the moved tar), run once. Our decodes run each
// in a fresh process, as a one-file CLI call does, and then again in one process once it has
// decoded the same delta before ("warm", the fastest of three). Two more fresh processes decode
// each delta with xdelta3, for a first decode beside ours in the same conditions: one spawns
// the program on the files, the other goes through DeltaGlider's xdelta3 codec (the decode a
// user with xdelta3 installed gets instead of ours). For each pair of one window, a fresh
// process also does a decode's file I/O with no codec (codec-scenario.ts's `floor`): what a
// first decode pays before decoding anything. The suite ends with each pair's decode ratios
// (`decodeRatios`).

const MIB = 1024 * 1024;

export interface CorpusRow {
  readonly pair: string;
  readonly bytes: number;
  readonly codec: string;
  readonly deltaBytes: number;
  readonly encodeSeconds: number;
  readonly encodePeakRssMb: number;
  /** Decoded by the xdelta3 program (zstd for zstd's deltas). */
  readonly decodeSeconds: number;
  /** Decoded by our decoder; undefined for zstd's deltas. */
  readonly ourDecodeSeconds: number | undefined;
  readonly ourDecodePeakRssMb: number | undefined;
  /** Decoded by our decoder in a process that decoded it before (the fastest of WARM_RUNS). */
  readonly ourWarmDecodeSeconds: number | undefined;
  /** The pair's file I/O in a fresh process, no codec (`floor`); pairs of one window only. */
  readonly ioFloorSeconds: number | undefined;
  /** Decoded by the xdelta3 program spawned from a fresh process; undefined for zstd's. */
  readonly freshProgramDecodeSeconds: number | undefined;
  /** Decoded through DeltaGlider's xdelta3 codec in a fresh process; undefined for zstd's. */
  readonly xdelta3CodecDecodeSeconds: number | undefined;
}

/**
 * Pairs of one xdelta3 window (8 MiB) get an I/O floor: their decode holds the whole file in
 * memory, as the floor does. A bigger pair's decode works a window at a time in memory it
 * reuses, and reading such a file whole was no floor (typescript's 24 MB: 49 ms, against our
 * whole decode's 27-33).
 */
const FLOOR_MAX_BYTES = 8 * MIB;

/** Decodes of one delta in one process after its first, for the warm time. */
const WARM_RUNS = 3;

interface Pair {
  readonly name: string;
  readonly older: string;
  readonly newer: string;
}

interface Codec {
  readonly name: string;
  readonly encode: (pair: Pair, delta: string) => Promise<RunTimes>;
  /** The program's decode, when it is not xdelta3's. */
  readonly decode?: (pair: Pair, delta: string, out: string) => Promise<RunTimes>;
}

export function corpusCodecs(
  levels: readonly number[],
  bytes: number,
  zstdInstalled: boolean,
): Codec[] {
  const ours = levels.map(
    (level): Codec => ({
      name: `ours -${level}`,
      encode: (pair, delta) =>
        tsJob({
          operation: 'encode',
          reference: pair.older,
          input: pair.newer,
          output: delta,
          level,
        }),
    }),
  );
  const xdelta = ['-1', '-3', '-9'].flatMap((level) =>
    [[level], [level, '-S', 'none']].map(
      (flags): Codec => ({
        name: `xdelta3 ${flags.join(' ')}`,
        encode: (pair, delta) =>
          xdelta3(['-e', '-f', ...flags, '-s', pair.older, pair.newer, delta]),
      }),
    ),
  );
  // zstd's window must reach back over the whole reference.
  const long = `--long=${Math.min(30, Math.max(10, Math.ceil(Math.log2(bytes + 1))))}`;
  const zstd: Codec = {
    name: 'zstd -19 --patch-from',
    encode: (pair, delta) =>
      timedProgram('zstd', [
        '-q',
        '-f',
        '-19',
        long,
        `--patch-from=${pair.older}`,
        pair.newer,
        '-o',
        delta,
      ]),
    decode: (pair, delta, out) =>
      timedProgram('zstd', [
        '-q',
        '-f',
        '-d',
        long,
        `--patch-from=${pair.older}`,
        delta,
        '-o',
        out,
      ]),
  };
  // zstd -19 takes minutes per 100 MB (and its window's memory): the 1 GB pair goes without it.
  return [...ours, ...xdelta, ...(zstdInstalled && bytes <= 256 * MIB ? [zstd] : [])];
}

function hasZstd(): boolean {
  return !spawnSync('zstd', ['--version']).error;
}

/**
 * The fastest of `runs` runs (and the highest peak RSS of them): on a shared 2-core machine one
 * run of a 0.1-3 s encode varies by 10-30 %, enough to reorder the levels.
 */
async function fastestOf(runs: number, run: () => Promise<RunTimes>): Promise<RunTimes> {
  let fastest = await run();
  for (let left = runs - 1; left > 0; left--) {
    const next = await run();
    fastest = {
      wallMs: Math.min(fastest.wallMs, next.wallMs),
      peakRssMb: Math.max(fastest.peakRssMb, next.peakRssMb),
    };
  }
  return fastest;
}

/** How many times each encode and each decode of a pair runs (the fastest counted). */
interface Runs {
  readonly encodes: number;
  readonly decodes: number;
}

async function measurePair(
  pair: Pair,
  codecs: Codec[],
  folder: string,
  runs: Runs,
): Promise<CorpusRow[]> {
  const rows: CorpusRow[] = [];
  const bytes = (await stat(pair.newer)).size;
  const expected = await sha256Of(pair.newer);
  const delta = join(folder, 'delta');
  const out = join(folder, 'out');
  const check = async (who: string) => {
    if ((await sha256Of(out)) !== expected) throw new Error(`${who} decoded ${pair.name} wrong`);
    await rm(out, { force: true });
  };
  // The first file of the pair's size written after the pair is no codec's to pay for: on this
  // VM the first 1 GB written into /dev/shm after the 1 GB archives took 3-5 s of kernel time,
  // the writes after it 1-2 s, and that first decode was always xdelta3's of our delta.
  await copyFile(pair.newer, out);
  await rm(out, { force: true });
  let floor: RunTimes | undefined;
  for (const codec of codecs) {
    const encoded = await fastestOf(runs.encodes, () => codec.encode(pair, delta));
    const deltaBytes = (await stat(delta)).size;
    if (!floor && bytes <= FLOOR_MAX_BYTES) {
      const job = { operation: 'floor', reference: pair.older, input: delta, output: out } as const;
      floor = await fastestOf(runs.decodes, async () => {
        const run = await tsJob(job);
        await rm(out, { force: true });
        return run;
      });
    }
    const decoded = await fastestOf(runs.decodes, () =>
      codec.decode
        ? codec.decode(pair, delta, out)
        : xdelta3(xdelta3DecodeArgs(pair.older, delta, out)),
    );
    await check(codec.decode ? codec.name : `xdelta3 -d (${codec.name})`);
    let ours: RunTimes | undefined;
    let warm: number | undefined;
    let freshProgram: RunTimes | undefined;
    let throughCodec: RunTimes | undefined;
    if (!codec.decode) {
      const job = { reference: pair.older, input: delta, output: out };
      // Each decode in fresh processes, the fastest counted, its file checked.
      const fresh = async (operation: CodecJob['operation'], who: string) => {
        const run = await fastestOf(runs.decodes, () => tsJob({ ...job, operation }));
        await check(`${who} (${codec.name})`);
        return run;
      };
      ours = await fresh('decode', 'our decoder');
      warm = (await tsJob({ ...job, operation: 'decode', repeat: 1 + WARM_RUNS })).warmWallMs;
      await check(`our decoder, warm (${codec.name})`);
      freshProgram = await fresh('xdelta3-program', 'xdelta3 -d from a fresh process');
      throughCodec = await fresh('xdelta3-decode', 'the xdelta3 codec');
    }
    const row: CorpusRow = {
      pair: pair.name,
      bytes,
      codec: codec.name,
      deltaBytes,
      encodeSeconds: encoded.wallMs / 1000,
      encodePeakRssMb: encoded.peakRssMb,
      decodeSeconds: decoded.wallMs / 1000,
      ourDecodeSeconds: ours && ours.wallMs / 1000,
      ourDecodePeakRssMb: ours?.peakRssMb,
      ourWarmDecodeSeconds: warm && warm / 1000,
      ioFloorSeconds: floor && floor.wallMs / 1000,
      freshProgramDecodeSeconds: freshProgram && freshProgram.wallMs / 1000,
      xdelta3CodecDecodeSeconds: throughCodec && throughCodec.wallMs / 1000,
    };
    rows.push(row);
    console.log(formatCorpusRow(row));
  }
  await rm(delta, { force: true });
  return rows;
}

export async function runCodecCorpusSuite(options: {
  levels: readonly number[];
  sizesMb: readonly number[];
  corpusDirectory: string;
  directory: string;
  sourceTree: string;
  /** Only the generated pairs (source tar, archives): no npm download. */
  generatedOnly?: boolean;
  /** Each decode, and each encode of an npm pair, is run this many times, the fastest counted. */
  runs?: number;
  /** Only the pairs whose names hold one of these (e.g. `sharp`, `source`, `archives`). */
  only?: readonly string[] | undefined;
}): Promise<CorpusRow[]> {
  const wanted = (name: string) =>
    !options.only || options.only.some((part) => name.includes(part));
  await mkdir(options.directory, { recursive: true });
  const pairs: Pair[] = options.generatedOnly
    ? []
    : (await npmReleaseCorpus(options.corpusDirectory)).filter((pair) => wanted(pair.name));
  const generated = join(options.directory, 'generated');
  await mkdir(generated, { recursive: true });
  const source: Pair = {
    name: 'source tar (real files, edited, shifted)',
    older: join(generated, 'source-v1'),
    newer: join(generated, 'source-v2'),
  };
  // The same edits with the archive's halves swapped: its members moved by half the file,
  // further than a 64 MiB source window reaches from where the target is.
  const moved: Pair = {
    name: 'source tar, halves swapped (members moved ~44 MB)',
    older: source.older,
    newer: join(generated, 'source-v2-moved'),
  };
  const npmPairs = pairs.length;
  if (wanted(source.name) || wanted(moved.name)) {
    await writeSourceArchives(source.older, source.newer, options.sourceTree, 100 * MIB);
    await writeHalvesSwapped(source.newer, moved.newer);
    pairs.push(...[source, moved].filter((pair) => wanted(pair.name)));
  }
  const rows: CorpusRow[] = [];
  const zstd = hasZstd();
  const decodes = options.runs ?? 1;
  for (const [index, pair] of pairs.entries()) {
    const bytes = (await stat(pair.newer)).size;
    const runs = { encodes: index < npmPairs ? decodes : 1, decodes };
    const codecs = corpusCodecs(options.levels, bytes, zstd);
    rows.push(...(await measurePair(pair, codecs, options.directory, runs)));
  }
  await rm(source.older, { force: true });
  await rm(source.newer, { force: true });
  await rm(moved.newer, { force: true });
  for (const size of options.sizesMb) {
    const archives: Pair = {
      name: `release archives ${size} MB (random, 4 KiB changed per 64 MiB, 1 MiB appended)`,
      older: join(generated, 'archive-v1'),
      newer: join(generated, 'archive-v2'),
    };
    if (!wanted(archives.name)) continue;
    await writeSimilarArchives(archives.older, archives.newer, size * MIB);
    rows.push(
      ...(await measurePair(
        archives,
        corpusCodecs(options.levels, size * MIB, zstd),
        options.directory,
        { encodes: 1, decodes },
      )),
    );
    await rm(archives.older, { force: true });
    await rm(archives.newer, { force: true });
  }
  printTotals(rows);
  printDecodeRatios(rows);
  return rows;
}

/** Writes `from`'s second half, then its first, to `to`, a piece at a time. */
async function writeHalvesSwapped(from: string, to: string): Promise<void> {
  const size = (await stat(from)).size;
  const half = Math.floor(size / 2);
  const input = await open(from, 'r');
  const output = await open(to, 'w');
  try {
    const piece = Buffer.alloc(4 * MIB);
    for (const [start, end] of [
      [half, size],
      [0, half],
    ] as const)
      for (let at = start; at < end; ) {
        const { bytesRead } = await input.read(piece, 0, Math.min(piece.length, end - at), at);
        if (bytesRead === 0) throw new Error(`${from} ended early`);
        await output.write(piece.subarray(0, bytesRead));
        at += bytesRead;
      }
  } finally {
    await input.close();
    await output.close();
  }
}

/** Per codec over the npm pairs: total delta bytes and encode time, against `xdelta3 -9`. */
export function printTotals(rows: readonly CorpusRow[]): void {
  const npm = rows.filter((row) => row.pair.includes('->'));
  const totals = new Map<string, { bytes: number; seconds: number; decode: number }>();
  for (const row of npm) {
    const total = totals.get(row.codec) ?? { bytes: 0, seconds: 0, decode: 0 };
    total.bytes += row.deltaBytes;
    total.seconds += row.encodeSeconds;
    total.decode += row.ourDecodeSeconds ?? row.decodeSeconds;
    totals.set(row.codec, total);
  }
  const reference = totals.get('xdelta3 -9');
  console.log('\ntotals over the npm pairs (decode: ours, or zstd for zstd)');
  for (const [codec, total] of totals)
    console.log(
      `${codec.padEnd(22)} ${total.bytes.toLocaleString('en-US').padStart(12)} B ${reference ? `${(total.bytes / reference.bytes).toFixed(3)}x` : ''}  encode ${total.seconds.toFixed(2)} s ${reference ? `${(total.seconds / reference.seconds).toFixed(2)}x` : ''}  decode ${total.decode.toFixed(2)} s`,
    );
}

export function formatCorpusRow(row: CorpusRow): string {
  const mb = row.bytes / MIB;
  const ours =
    row.ourDecodeSeconds === undefined
      ? ''
      : `ours ${row.ourDecodeSeconds.toFixed(3)} s ${(mb / row.ourDecodeSeconds).toFixed(0)} MB/s warm ${row.ourWarmDecodeSeconds?.toFixed(3)} s`;
  const floor =
    row.ioFloorSeconds === undefined ? '' : ` (I/O floor ${row.ioFloorSeconds.toFixed(3)} s)`;
  const fresh =
    row.freshProgramDecodeSeconds === undefined || row.xdelta3CodecDecodeSeconds === undefined
      ? ''
      : ` (xdelta3 from a fresh process ${row.freshProgramDecodeSeconds.toFixed(3)} s, through DeltaGlider ${row.xdelta3CodecDecodeSeconds.toFixed(3)} s)`;
  return [
    row.codec.padEnd(22),
    `${row.deltaBytes.toLocaleString('en-US')} B`.padStart(13),
    `enc ${row.encodeSeconds.toFixed(2)} s`.padStart(11),
    `${(mb / row.encodeSeconds).toFixed(0)} MB/s`.padStart(9),
    `${row.encodePeakRssMb.toFixed(0)} MB`.padStart(7),
    `dec ${row.decodeSeconds.toFixed(3)} s`.padStart(12),
    ours.padStart(40),
    `  ${row.pair} (${mb.toFixed(1)} MB)${floor}${fresh}`,
  ].join(' ');
}

/** A pair's decode speed, ours against xdelta3's, over its deltas: the lowest ratio of each kind. */
export interface DecodeRatios {
  readonly pair: string;
  /** The xdelta3 program's time (spawned by the suite) over our first decode in a fresh process. */
  readonly freshAgainstProgram: number;
  /** The program's time, spawned from a fresh process, over our first decode in one. */
  readonly freshAgainstFreshProgram: number | undefined;
  /** DeltaGlider's xdelta3 codec's time over our first decode, each in a fresh process. */
  readonly freshAgainstCodec: number | undefined;
  /** The xdelta3 program's time over ours once our decoder has run before. */
  readonly warmAgainstProgram: number | undefined;
}

/**
 * Each pair's lowest decode ratios over the deltas both decoders read (above 1: ours is the
 * faster): issue 28's target is 0.8 or more.
 */
export function decodeRatios(rows: readonly CorpusRow[]): DecodeRatios[] {
  const byPair = new Map<string, DecodeRatios>();
  for (const row of rows) {
    const ours = row.ourDecodeSeconds;
    if (ours === undefined) continue;
    const last = byPair.get(row.pair);
    byPair.set(row.pair, {
      pair: row.pair,
      freshAgainstProgram: Math.min(
        last?.freshAgainstProgram ?? Number.POSITIVE_INFINITY,
        row.decodeSeconds / ours,
      ),
      freshAgainstFreshProgram: lowest(
        last?.freshAgainstFreshProgram,
        timeOver(row.freshProgramDecodeSeconds, ours),
      ),
      freshAgainstCodec: lowest(
        last?.freshAgainstCodec,
        timeOver(row.xdelta3CodecDecodeSeconds, ours),
      ),
      warmAgainstProgram: lowest(
        last?.warmAgainstProgram,
        timeOver(row.decodeSeconds, row.ourWarmDecodeSeconds),
      ),
    });
  }
  return [...byPair.values()];
}

/** xdelta3's time over ours, where both were measured. */
function timeOver(theirs: number | undefined, ours: number | undefined): number | undefined {
  return theirs === undefined || ours === undefined ? undefined : theirs / ours;
}

function lowest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function printDecodeRatios(rows: readonly CorpusRow[]): void {
  const ratio = (value: number | undefined) => (value === undefined ? '-' : `${value.toFixed(2)}x`);
  console.log(
    "\ndecode speed, ours against xdelta3 (the lowest over each pair's deltas; 1x: as fast)",
  );
  console.log(
    '(first decodes in a fresh process against the program spawned by the suite, against it\n' +
      'spawned by a fresh process, and through the xdelta3 codec; then ours warm)',
  );
  const columns = ['fresh vs program', 'vs fresh program', 'vs codec', 'warm vs program'];
  console.log(`${'pair'.padEnd(44)} ${columns.map((name) => name.padStart(17)).join(' ')}`);
  for (const pair of decodeRatios(rows)) {
    const ratios = [
      pair.freshAgainstProgram,
      pair.freshAgainstFreshProgram,
      pair.freshAgainstCodec,
      pair.warmAgainstProgram,
    ];
    console.log(
      `${pair.pair.slice(0, 44).padEnd(44)} ${ratios.map((value) => ratio(value).padStart(17)).join(' ')}`,
    );
  }
}
