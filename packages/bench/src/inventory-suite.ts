import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { factsKeyOf } from '@deltaglider/core';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import {
  directorySink,
  type InventoryEntry,
  storeSink,
  writeInventoryReport,
} from '@deltaglider/test-fixtures';
import { startServerChild } from './server-child.js';

// pnpm bench --suite inventory [--rows N] [--shapes proxy,python,proxy-unsorted] [--sources file,s3]
// Generates S3 Inventory reports of N rows (10,000,000 by default) in AWS's layout, CSV.gz and
// Parquet, in files of 1,000,000 rows; reads each with `getInventoryStats` in a fresh process,
// from a local copy (file://) and from the S3 test server, and reports time, rows/s and peak
// RSS. Shapes: `proxy`, a bucket deltaglider_proxy 2.0 wrote (every delta with its facts
// object: half the rows are facts); `python`, one the Python tool wrote (no facts);
// `proxy-unsorted`, the proxy's rows in the worst order for matching facts to deltas.

const scenarioScript = fileURLToPath(new URL('./inventory-scenario.js', import.meta.url));
const cliBin = fileURLToPath(new URL('../../../apps/cli/dist/bin.js', import.meta.url));
const peakRssPreload = fileURLToPath(
  new URL('../../../apps/cli/src/test-support/report-peak-rss.cjs', import.meta.url),
);
const DELTAS_PER_DELTASPACE = 1000;
const ROWS_PER_FILE = 1_000_000;

export interface InventoryReadResult {
  readonly shape: string;
  readonly format: 'CSV' | 'Parquet';
  readonly source: 'file' | 's3';
  /**
   * `sdk`: getInventoryStats in a process with Node's default heap; `sdk-capped`: the same
   * with the heap flags docs/scale.md gives programs (`SDK_HEAP_FLAGS`); `cli`:
   * `deltaglider stats --inventory`.
   */
  readonly reader: InventoryReader;
  readonly rows: number;
  readonly wallMs: number;
  readonly rowsPerSecond: number;
  readonly peakRssMb: number;
  readonly generateMs: number;
}

export type InventoryShape = 'proxy' | 'proxy-unsorted' | 'python';

type InventoryReader = 'sdk' | 'sdk-capped' | 'cli';

/** What docs/scale.md tells programs that read inventories on their main thread to run with. */
const SDK_HEAP_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=4'];

/**
 * About `rows` inventory rows (whole deltaspaces of 1,000 deltas) of a bucket of the shape. In
 * key order, as AWS writes them: `.dg/facts/` sorts before `releases/`, so every facts row
 * comes before the deltas; `proxy-unsorted` puts each facts row right after its delta instead
 * (the worst order for matching them).
 */
function* bucketRows(shape: InventoryShape, rows: number): Generator<InventoryEntry> {
  const withFacts = shape !== 'python';
  const deltaspaces = Math.max(
    1,
    Math.floor(rows / (1 + DELTAS_PER_DELTASPACE * (withFacts ? 2 : 1))),
  );
  if (shape === 'proxy')
    for (let space = 0; space < deltaspaces; space++)
      for (let version = 1; version <= DELTAS_PER_DELTASPACE; version++)
        yield factsRowOf(space, version);
  for (let space = 0; space < deltaspaces; space++) {
    for (let version = 1; version <= DELTAS_PER_DELTASPACE; version++) {
      yield deltaRowOf(space, version);
      if (shape === 'proxy-unsorted') yield factsRowOf(space, version);
    }
    yield { key: `${directoryOf(space)}reference.bin`, size: 50_000_000, etag: md5Like(space, 0) };
  }
}

const directoryOf = (space: number) => `releases/app-${String(space).padStart(6, '0')}/`;

function deltaRowOf(space: number, version: number): InventoryEntry {
  return {
    key: `${directoryOf(space)}app-1.0.${String(version).padStart(4, '0')}.zip.delta`,
    size: 100_000 + ((space * 7919 + version * 104_729) % 400_000),
    etag: md5Like(space, version),
  };
}

/** The facts row deltaglider_proxy 2.0 writes for that delta. */
function factsRowOf(space: number, version: number): InventoryEntry {
  const delta = deltaRowOf(space, version);
  const key = factsKeyOf({
    storedKey: delta.key,
    storedEtag: delta.etag,
    storedSize: delta.size,
    originalSize: 50_000_000 + version * 1000,
    originalEtag: md5Like(space, version + 1_000_000),
  });
  return { key: key!, size: 0, etag: 'd41d8cd98f00b204e9800998ecf8427e' };
}

function md5Like(a: number, b: number): string {
  return (a * 2_654_435_761 + b).toString(16).padStart(32, '0').slice(-32);
}

/** `deltaglider stats --inventory` as users run it (its read is on a heap-capped worker). */
function readWithCli(
  bucket: string,
  inventory: string,
  endpoint: string | undefined,
  scratch: string,
) {
  const peakFile = join(scratch, 'peak-rss');
  const started = performance.now();
  const output = execFileSync(
    process.execPath,
    [
      cliBin,
      ...(endpoint ? ['--endpoint-url', endpoint] : []),
      'stats',
      bucket,
      '--inventory',
      inventory,
      '--json',
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        NODE_OPTIONS: `--require ${peakRssPreload}`,
        DG_TEST_PEAK_RSS_FILE: peakFile,
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const wallMs = performance.now() - started;
  const document = JSON.parse(output) as { inventory: { rows: number } };
  return {
    wallMs,
    rows: document.inventory.rows,
    peakRssMb: Number(readFileSync(peakFile, 'utf8')) / 2 ** 20,
  };
}

function readIn(
  nodeFlags: readonly string[],
  bucket: string,
  inventory: string,
  endpoint?: string,
) {
  const output = execFileSync(
    process.execPath,
    [...nodeFlags, scenarioScript, bucket, inventory, ...(endpoint ? [endpoint] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(output.trim().split('\n').at(-1)!) as {
    wallMs: number;
    rows: number;
    peakRssMb: number;
  };
}

export async function runInventorySuite(options: {
  rows: number;
  shapes: readonly InventoryShape[];
  sources: readonly ('file' | 's3')[];
  onResult: (result: InventoryReadResult) => void;
}): Promise<InventoryReadResult[]> {
  const results: InventoryReadResult[] = [];
  const scratch = await mkdtemp(join(tmpdir(), 'dg-bench-inventory-'));
  const server = options.sources.includes('s3') ? await startServerChild() : undefined;
  try {
    const store = server
      ? createS3ObjectStore({
          endpoint: server.endpoint,
          credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
        })
      : undefined;
    if (server) await server.send({ type: 'createBucket', bucket: 'inventories' });
    for (const shape of options.shapes) {
      for (const format of ['CSV', 'Parquet'] as const) {
        const configPrefix = `${shape}/${format}/`;
        const report = {
          sourceBucket: 'releases',
          configPrefix,
          format,
          createdAt: new Date(Date.UTC(2026, 11, 1, 1, 0)),
          rowsPerFile: ROWS_PER_FILE,
          rowGroupRows: 100_000,
        };
        const generated = performance.now();
        await writeInventoryReport(directorySink(scratch), report, bucketRows(shape, options.rows));
        const generateMs = performance.now() - generated;
        for (const source of options.sources) {
          if (source === 's3') {
            // The same files, put into the server's bucket as AWS would deliver them.
            await writeInventoryReport(
              storeSink(store!, 'inventories'),
              report,
              bucketRows(shape, options.rows),
            );
          }
          const url =
            source === 's3'
              ? `s3://inventories/${configPrefix}`
              : pathToFileURL(join(scratch, configPrefix)).href;
          for (const reader of ['sdk', 'sdk-capped', 'cli'] as const) {
            const read =
              reader !== 'cli'
                ? readIn(
                    reader === 'sdk' ? [] : SDK_HEAP_FLAGS,
                    'releases',
                    url,
                    source === 's3' ? server?.endpoint : undefined,
                  )
                : readWithCli(
                    'releases',
                    url,
                    source === 's3' ? server?.endpoint : undefined,
                    scratch,
                  );
            const result: InventoryReadResult = {
              shape,
              format,
              source,
              reader,
              rows: read.rows,
              wallMs: read.wallMs,
              rowsPerSecond: read.rows / (read.wallMs / 1000),
              peakRssMb: read.peakRssMb,
              generateMs,
            };
            results.push(result);
            options.onResult(result);
          }
        }
        await rm(join(scratch, shape), { recursive: true, force: true });
      }
    }
  } finally {
    await server?.stop();
    await rm(scratch, { recursive: true, force: true });
  }
  return results;
}
