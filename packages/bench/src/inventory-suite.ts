import { execFileSync } from 'node:child_process';
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

// pnpm bench --suite inventory [--rows N] [--shapes proxy,python] [--sources file,s3]
// Generates S3 Inventory reports of N rows (10,000,000 by default) in AWS's layout, CSV.gz and
// Parquet, in files of 1,000,000 rows; reads each with `getInventoryStats` in a fresh process,
// from a local copy (file://) and from the S3 test server, and reports time, rows/s and peak
// RSS. Shapes: `proxy`, a bucket deltaglider_proxy 2.0 wrote (every delta with its facts
// object: half the rows are facts); `python`, one the Python tool wrote (no facts).

const scenarioScript = fileURLToPath(new URL('./inventory-scenario.js', import.meta.url));
const DELTAS_PER_DELTASPACE = 1000;
const ROWS_PER_FILE = 1_000_000;

export interface InventoryReadResult {
  readonly shape: string;
  readonly format: 'CSV' | 'Parquet';
  readonly source: 'file' | 's3';
  readonly rows: number;
  readonly wallMs: number;
  readonly rowsPerSecond: number;
  readonly peakRssMb: number;
  readonly generateMs: number;
}

/** `rows` inventory rows of a bucket of the shape, in key order as AWS lists them. */
function* bucketRows(shape: 'proxy' | 'python', rows: number): Generator<InventoryEntry> {
  const perDeltaspace = 1 + DELTAS_PER_DELTASPACE * (shape === 'proxy' ? 2 : 1);
  let written = 0;
  for (let space = 0; written < rows; space++) {
    const directory = `releases/app-${String(space).padStart(6, '0')}/`;
    const entries: InventoryEntry[] = [
      { key: `${directory}reference.bin`, size: 50_000_000, etag: md5Like(space, 0) },
    ];
    for (let version = 1; version <= DELTAS_PER_DELTASPACE; version++) {
      const key = `${directory}app-1.0.${version}.zip.delta`;
      const size = 100_000 + ((space * 7919 + version * 104_729) % 400_000);
      const etag = md5Like(space, version);
      entries.push({ key, size, etag });
      if (shape === 'proxy') {
        const factsKey = factsKeyOf({
          storedKey: key,
          storedEtag: etag,
          storedSize: size,
          originalSize: 50_000_000 + version * 1000,
          originalEtag: md5Like(space, version + 1_000_000),
        });
        if (factsKey)
          entries.push({ key: factsKey, size: 0, etag: 'd41d8cd98f00b204e9800998ecf8427e' });
      }
    }
    for (const entry of entries.slice(0, Math.min(perDeltaspace, rows - written))) {
      written++;
      yield entry;
    }
  }
}

function md5Like(a: number, b: number): string {
  return (a * 2_654_435_761 + b).toString(16).padStart(32, '0').slice(-32);
}

function readIn(bucket: string, inventory: string, endpoint?: string) {
  const output = execFileSync(
    process.execPath,
    [scenarioScript, bucket, inventory, ...(endpoint ? [endpoint] : [])],
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
  shapes: readonly ('proxy' | 'python')[];
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
          const read = readIn('releases', url, server?.endpoint);
          const result: InventoryReadResult = {
            shape,
            format,
            source,
            rows: read.rows,
            wallMs: read.wallMs,
            rowsPerSecond: read.rows / (read.wallMs / 1000),
            peakRssMb: read.peakRssMb,
            generateMs,
          };
          results.push(result);
          options.onResult(result);
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
