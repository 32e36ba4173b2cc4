import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BigFileJob, BigFileResult } from './big-file-scenario.js';
import type { ServerChild } from './server-child.js';

// pnpm bench --suite big-files [--sizes 1,10] [--dir PATH]
// Similar archives of each size (GB): first upload (the reference), delta upload, delta
// download, on file:// and on the S3 test server (which holds objects in memory, so only sizes
// up to 2 GB go there). Peak RSS of the transferring process and of its xdelta3, and MB/s.
// Then xdelta3 itself at several levels and source windows on the 1 GB pair (or the smallest).

export interface BigFilesRow {
  readonly store: string;
  readonly sizeGb: number;
  readonly scenario: string;
  readonly seconds: number;
  readonly mbPerSecond: number;
  readonly peakRssMb: number;
  readonly xdelta3PeakRssMb: number;
  readonly note: string;
}

const MIB = 1024 * 1024;
const CHUNK = 16 * MIB;

/**
 * Two archives of `bytes`: random data (incompressible, as archives are), the second with a
 * 4 KiB change every 64 MiB and 1 MiB of new data appended: what a new release looks like.
 */
export async function writeSimilarArchives(a: string, b: string, bytes: number): Promise<void> {
  const first = await open(a, 'w');
  const second = await open(b, 'w');
  try {
    for (let offset = 0; offset < bytes; offset += CHUNK) {
      const chunk = randomBytes(Math.min(CHUNK, bytes - offset));
      await first.write(chunk);
      if (offset % (64 * MIB) === 0) chunk.set(randomBytes(4096), 12_345);
      await second.write(chunk);
    }
    await second.write(randomBytes(MIB));
  } finally {
    await first.close();
    await second.close();
  }
}

function runJob(job: BigFileJob): Promise<BigFileResult> {
  const child = fork(new URL('./big-file-scenario.js', import.meta.url), { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (result: BigFileResult) => resolve(result));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`big-file scenario exited ${code}`));
    });
    child.send(job);
  });
}

/** The disk's own sequential read rate for a file: the ceiling for anything reading it. */
export interface DiskRead {
  readonly mbPerSecond: number;
  /** False when the page cache could not be dropped (not root): a cached read. */
  readonly cold: boolean;
}

function measureDiskRead(path: string, bytes: number): DiskRead {
  execFileSync('sync');
  // Dropping the page cache needs root; without it this is a cached read, and says so.
  let cold = true;
  try {
    execFileSync('sh', ['-c', 'echo 1 > /proc/sys/vm/drop_caches']);
  } catch {
    cold = false;
  }
  const started = performance.now();
  execFileSync('cat', [path], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 0 });
  return { mbPerSecond: bytes / MIB / ((performance.now() - started) / 1000), cold };
}

export async function runBigFiles(
  server: ServerChild,
  options: { sizesGb: number[]; directory: string; sourceTree?: string | undefined },
): Promise<{ rows: BigFilesRow[]; levels: LevelRow[]; disk: DiskRead | undefined }> {
  const rows: BigFilesRow[] = [];
  let disk: DiskRead | undefined;
  const levels: LevelRow[] = [];
  await mkdir(options.directory, { recursive: true });
  for (const sizeGb of options.sizesGb) {
    const bytes = Math.round(sizeGb * 1024 * MIB);
    const folder = join(options.directory, `${sizeGb}gb`);
    await mkdir(folder, { recursive: true });
    const v1 = join(folder, 'app-1.0.0.zip');
    const v2 = join(folder, 'app-1.0.1.zip');
    console.log(`writing two similar ${sizeGb} GB archives in ${folder}`);
    await writeSimilarArchives(v1, v2, bytes);
    disk = measureDiskRead(v2, (await stat(v2)).size);
    const stores: [string, string][] = [[`file://${join(folder, 'store')}`, 'file://']];
    if (sizeGb <= 2) stores.push([server.endpoint, 'S3 test server']);
    // The S3 test server keeps every object in memory: one bucket per size, never emptied.
    const bucket = `big-${String(sizeGb).replace('.', '-')}`;
    for (const [endpoint, store] of stores) {
      if (endpoint.startsWith('file://'))
        await mkdir(join(folder, 'store', bucket), { recursive: true });
      else await server.send({ type: 'createBucket', bucket });
      const cacheDirectory = join(folder, `cache-${rows.length}`);
      const base = { endpoint, cacheDirectory, bucket };
      const scenarios: [string, BigFileJob, number][] = [
        [
          'first upload (reference)',
          { ...base, operation: 'upload', key: 'rel/', path: v1 },
          bytes,
        ],
        ['delta upload', { ...base, operation: 'upload', key: 'rel/', path: v2 }, bytes + MIB],
        [
          'delta download',
          {
            ...base,
            operation: 'download',
            key: 'rel/app-1.0.1.zip',
            path: join(folder, 'down.zip'),
          },
          bytes + MIB,
        ],
      ];
      for (const [scenario, job, moved] of scenarios) {
        // A cold reference cache for the download, as on another machine.
        if (job.operation === 'download')
          await rm(cacheDirectory, { recursive: true, force: true });
        const result = await runJob(job);
        const row: BigFilesRow = {
          store,
          sizeGb,
          scenario,
          seconds: result.wallMs / 1000,
          mbPerSecond: moved / MIB / (result.wallMs / 1000),
          peakRssMb: result.peakRssMb,
          xdelta3PeakRssMb: result.xdelta3PeakRssMb,
          note: `${result.storedAs}${result.storedBytes === undefined ? '' : `, ${(result.storedBytes / MIB).toFixed(2)} MiB stored`}`,
        };
        rows.push(row);
        console.log(formatBigFilesRow(row));
      }
      await rm(join(folder, 'down.zip'), { force: true });
      await rm(join(folder, 'store'), { recursive: true, force: true });
    }
    if (sizeGb <= 1) levels.push(...measureLevels(v1, v2, sizeGb));
    await rm(folder, { recursive: true, force: true });
  }
  // Real files shift after the first change, where random blocks did not: levels matter more.
  if (options.sourceTree) {
    const folder = join(options.directory, 'source');
    await mkdir(folder, { recursive: true });
    const v1 = join(folder, 'src-1.tar');
    const v2 = join(folder, 'src-2.tar');
    const written = await writeSourceArchives(v1, v2, options.sourceTree, 100 * MIB);
    levels.push(
      ...measureLevels(v1, v2, written / 1024 / MIB, 'source files, 2 % edited, shifted'),
    );
    await rm(folder, { recursive: true, force: true });
  }
  return { rows, levels, disk };
}

/**
 * Two "uncompressed archives" of real files (the repository's node_modules, in name order),
 * about `bytes` long, as a tar of two releases: in the second, every 20th file has its middle
 * third rewritten (new text, compressible like real edits), every 50th gets 64 new bytes in
 * front, and every 200th is left out, so everything after the first change is shifted.
 */
export async function writeSourceArchives(
  a: string,
  b: string,
  root: string,
  bytes: number,
): Promise<number> {
  const first = await open(a, 'w');
  const second = await open(b, 'w');
  let written = 0;
  let index = 0;
  try {
    for await (const path of walkFiles(root)) {
      if (written >= bytes) break;
      const content = await readFile(path).catch(() => undefined);
      // Source files, not the odd 100 MB binary that would be the whole corpus.
      if (!content || content.length === 0 || content.length > MIB) continue;
      index++;
      await first.write(content);
      written += content.length;
      if (index % 200 === 0) continue;
      if (index % 50 === 0) await second.write(randomBytes(64));
      if (index % 20 === 0) {
        const third = Math.floor(content.length / 3);
        const edited = Buffer.from(content);
        edited.subarray(third, 2 * third).reverse();
        await second.write(edited);
      } else await second.write(content);
    }
  } finally {
    await first.close();
    await second.close();
  }
  return written;
}

async function* walkFiles(directory: string): AsyncGenerator<string> {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* walkFiles(path);
    else if (entry.isFile()) yield path;
  }
}

export interface LevelRow {
  readonly corpus: string;
  readonly sizeGb: number;
  readonly flags: string;
  readonly encodeSeconds: number;
  readonly encodeMbPerSecond: number;
  readonly deltaMib: number;
  readonly decodeMbPerSecond: number;
}

/** xdelta3 at several levels and source windows on one pair, each delta decoded back. */
export function measureLevels(
  v1: string,
  v2: string,
  sizeGb: number,
  corpus = 'random data, 4 KiB changed per 64 MiB',
): LevelRow[] {
  const rows: LevelRow[] = [];
  const delta = `${v2}.vcdiff`;
  const out = `${v2}.decoded`;
  const bytes = statSync(v2).size;
  for (const flags of [
    ['-9'],
    ['-6'],
    ['-3'],
    ['-1'],
    ['-9', '-S', 'none'],
    ['-1', '-S', 'none'],
    ['-9', '-B', String(256 * MIB)],
    ['-1', '-B', String(1024 * MIB)],
  ]) {
    const started = performance.now();
    execFileSync('xdelta3', ['-e', '-f', ...flags, '-s', v1, v2, delta]);
    const encodeSeconds = (performance.now() - started) / 1000;
    const decodeStarted = performance.now();
    execFileSync('xdelta3', ['-d', '-f', '-s', v1, delta, out]);
    const decodeSeconds = (performance.now() - decodeStarted) / 1000;
    const row: LevelRow = {
      corpus,
      sizeGb,
      flags: flags.join(' '),
      encodeSeconds,
      encodeMbPerSecond: bytes / MIB / encodeSeconds,
      deltaMib: statSync(delta).size / MIB,
      decodeMbPerSecond: bytes / MIB / decodeSeconds,
    };
    rows.push(row);
    console.log(
      `xdelta3 ${row.flags.padEnd(24)} ${corpus}, ${sizeGb.toFixed(2)} GB: encode ${row.encodeSeconds.toFixed(1)} s (${row.encodeMbPerSecond.toFixed(0)} MB/s), delta ${(row.deltaMib * 1024).toFixed(0)} KiB, decode ${row.decodeMbPerSecond.toFixed(0)} MB/s`,
    );
  }
  execFileSync('rm', ['-f', delta, out]);
  return rows;
}

export function formatBigFilesRow(row: BigFilesRow): string {
  return [
    row.store.padEnd(15),
    `${row.sizeGb} GB`.padEnd(6),
    row.scenario.padEnd(25),
    `${row.seconds.toFixed(1)} s`.padStart(8),
    `${row.mbPerSecond.toFixed(0)} MB/s`.padStart(10),
    `RSS ${row.peakRssMb.toFixed(0)} MB`.padStart(12),
    `xdelta3 ${row.xdelta3PeakRssMb.toFixed(0)} MB`.padStart(14),
    `  ${row.note}`,
  ].join(' ');
}
