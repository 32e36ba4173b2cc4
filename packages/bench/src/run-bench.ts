import { fork, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { clearStatsCache, type GetBucketStatsOptions, listAllObjects } from '@deltaglider/core';
import { createS3Client, createS3ObjectStore } from '@deltaglider/s3-adapter';
import { createClient } from '@deltaglider/sdk';
import { describeMachine, writeBenchResults } from './bench-results.js';
import { runBigFiles } from './big-files-suite.js';
import { measureBulkConcurrency } from './bulk-concurrency.js';
import { runCodecCorpusSuite } from './codec-corpus-suite.js';
import { runCodecSuite, xdelta3Version } from './codec-suite.js';
import { numberList, option, positiveInteger, wordList } from './command-line.js';
import { type CorpusShape, corpusEntry, corpusTotalSize } from './delta-corpus.js';
import { runExporterSuite } from './exporter-suite.js';
import { type InventoryShape, runInventorySuite } from './inventory-suite.js';
import { startLatencyProxy } from './latency-proxy.js';
import { estimateError, formatTable, measure, type ScenarioResult } from './measure.js';
import { type ServerChild, startServerChild } from './server-child.js';
import type { SimulatedJob, SimulatedResult } from './simulated-scenario.js';
import { runStartupSuite } from './startup-suite.js';

// pnpm bench [--rtt MS] [--concurrency N] [--skip-million]
// pnpm bench --suite big-files [--sizes 1,10] [--dir PATH]: see big-files-suite.ts
// pnpm bench --suite codec [--sizes 100,1024] [--dir PATH]: see codec-suite.ts
// pnpm bench --suite codec-corpus [--levels 1,3,6,9] [--sizes 1024] [--runs 3] [--corpus DIR] [--pairs sharp,source]: see codec-corpus-suite.ts
// pnpm bench --suite exporter: see exporter-suite.ts
// pnpm bench --suite facts [--rtt MS]: cold detailed stats without and with listing facts
// pnpm bench --suite startup: --help, --version and a warm file:// stats; see startup-suite.ts
// pnpm bench --suite cold-listing [--objects N] [--rtt MS]: a cold listing of issue 26's shape
// pnpm bench --suite inventory [--rows N] [--shapes proxy,python,proxy-unsorted] [--sources file,s3]
// Starts the S3 test server behind a latency-adding proxy, seeds DeltaGlider-shaped buckets,
// runs the stats scenarios, prints a table and writes bench-results/<timestamp>.json.

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const argument = (name: string, fallback: number) => Number(option(name, String(fallback)));
const rttMs = argument('rtt', 25);
const concurrency = argument('concurrency', 64);
const skipMillion = process.argv.includes('--skip-million');
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const results: ScenarioResult[] = [];

function report(result: ScenarioResult): void {
  results.push(result);
  console.log(formatTable([result]).split('\n').at(-1));
}

/** HEADs per second a plain SDK loop gets from an endpoint: the ceiling for detailed stats. */
async function headThroughput(
  endpoint: string,
  bucket: string,
  keys: string[],
  workers: number,
): Promise<number> {
  const client = createS3Client({ endpoint, credentials, maxSockets: workers });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      }
    }),
  );
  client.destroy();
  return keys.length / ((performance.now() - started) / 1000);
}

/** Every stats cache and the known-originals companion, deleted straight at the server. */
async function clearCaches(server: ServerChild, bucket: string): Promise<void> {
  await clearStatsCache(createS3ObjectStore({ endpoint: server.endpoint, credentials }), bucket);
}

async function serverSuite(
  server: ServerChild,
  suite: string,
  bucket: string,
  shape: CorpusShape,
  scenarios: string[],
  seed: { facts?: boolean } = {},
) {
  await server.send({ type: 'seed', bucket, shape, ...seed });
  const truth = corpusTotalSize(shape);
  const proxy = await startLatencyProxy(server, rttMs);
  const client = createClient({ endpoint: proxy.endpoint, s3: { credentials }, concurrency });
  const run = async (
    scenario: string,
    options: GetBucketStatsOptions,
    note?: (total: number, status: string) => string,
  ) => {
    proxy.reset();
    const { value, wallMs, peakRssMb } = await measure(() =>
      client.getBucketStats(bucket, options),
    );
    const { connections, requests } = proxy.counts();
    const noteText = note?.(value.totalSize, value.cache.status) ?? value.cache.status;
    report({ suite, scenario, requests, connections, wallMs, peakRssMb, note: noteText });
    return value;
  };

  for (const scenario of scenarios) {
    if (scenario === 'cold quick') {
      await clearCaches(server, bucket);
      await run(scenario, { mode: 'quick' }, (total) => estimateError(total, truth));
    } else if (scenario === 'warm quick') {
      await run(scenario, { mode: 'quick' });
    } else if (scenario === 'cold sampled') {
      await clearCaches(server, bucket);
      await run(scenario, { mode: 'sampled' }, (total) => estimateError(total, truth));
    } else if (scenario === 'cold detailed') {
      await clearCaches(server, bucket);
      await run(scenario, { mode: 'detailed' }, (total) =>
        total === truth ? 'exact' : estimateError(total, truth),
      );
    } else if (scenario === 'cold detailed, facts') {
      await clearCaches(server, bucket);
      const stats = await run(scenario, { mode: 'detailed' }, (total) =>
        total === truth ? 'exact' : estimateError(total, truth),
      );
      console.log(`  originals from: ${JSON.stringify(stats.originalsFrom)}`);
    } else if (scenario === 'warm detailed') {
      await run(scenario, { mode: 'detailed' });
    } else if (scenario.startsWith('stale detailed')) {
      const changed = scenario.includes('1 %')
        ? Math.round((shape.deltaspaces * shape.versions) / 100)
        : 1;
      await server.send({ type: 'change', bucket, shape, count: changed });
      await run(
        scenario,
        { mode: 'detailed' },
        (_total, status) => `${status}, ${changed} changed`,
      );
    } else if (scenario === 'sequential paging') {
      const store = createS3ObjectStore({ endpoint: proxy.endpoint, credentials });
      proxy.reset();
      const { wallMs, peakRssMb } = await measure(async () => {
        for await (const _page of listAllObjects(store, bucket)) {
          // A plain paging loop: the baseline a validating call is compared with.
        }
      });
      const { connections, requests } = proxy.counts();
      report({
        suite,
        scenario,
        requests,
        connections,
        wallMs,
        peakRssMb,
        note: 'plain ListObjectsV2 loop',
      });
    }
  }
  await proxy.stop();
  return { truth };
}

/** Runs one simulated scenario in a fresh Node process (see simulated-scenario.ts). */
function runSimulated(job: SimulatedJob): Promise<SimulatedResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./simulated-scenario.js', import.meta.url), {
      execArgv: ['--expose-gc'],
    });
    child.once('message', (result: SimulatedResult) => resolve(result));
    child.once('error', reject);
    child.once(
      'exit',
      (code) => code === 0 || reject(new Error(`simulated scenario exited ${code}`)),
    );
    child.send(job);
  });
}

/** `--suite big-files`: big transfers instead of the stats suites. */
async function bigFilesMain(): Promise<void> {
  const sizes = numberList('sizes', '1');
  const directory = option('dir', join(tmpdir(), 'deltaglider-big-files'));
  console.log(
    `deltaglider bench big-files: ${sizes.join(', ')} GB, ${describeMachine()}, xdelta3 in ${directory}`,
  );
  const server = await startServerChild();
  try {
    const measured = await runBigFiles(server, {
      sizesGb: sizes.filter((size) => size > 0),
      directory,
      // Real files for the level comparison: this repository's dependencies.
      sourceTree: fileURLToPath(new URL('../../../node_modules/.pnpm', import.meta.url)),
    });
    const bulk = await measureBulkConcurrency(server, directory, rttMs, [1, 2, 4, 8, 16]);
    const { disk } = measured;
    if (disk)
      console.log(
        `disk sequential read: ${disk.mbPerSecond.toFixed(0)} MB/s${disk.cold ? ' (cold)' : ' (page cache: could not drop it)'}`,
      );
    await writeBenchResults('big-files', { ...measured, bulk });
  } finally {
    await server.stop();
  }
}

/**
 * `--suite facts`: cold detailed stats of one bucket (10,000 deltas in 100 deltaspaces) without
 * and with deltaglider_proxy's listing facts, each request delayed by the round trip.
 */
async function runFactsSuite(): Promise<void> {
  console.log(formatTable([]).split('\n').slice(0, 2).join('\n'));
  const server = await startServerChild();
  try {
    const ten: CorpusShape = { deltaspaces: 100, versions: 100 };
    await serverSuite(server, '10k deltas', 'bench-plain', ten, ['cold detailed']);
    await serverSuite(server, '10k deltas + facts', 'bench-facts', ten, ['cold detailed, facts'], {
      facts: true,
    });
  } finally {
    await server.stop();
  }
  console.log(`\n${formatTable(results)}`);
}

async function main(): Promise<void> {
  console.log(
    `deltaglider bench: ${rttMs} ms round trip, HEAD concurrency ${concurrency}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log(formatTable([]).split('\n').slice(0, 2).join('\n'));
  const server = await startServerChild();
  const limits: Record<string, number> = {};
  try {
    const ten: CorpusShape = { deltaspaces: 100, versions: 100 };
    await serverSuite(server, '10k deltas', 'bench-10k', ten, [
      'cold quick',
      'cold sampled',
      'cold detailed',
      'warm detailed',
      'stale detailed (1 object)',
      'stale detailed (1 % of objects)',
    ]);
    const keys = Array.from(
      { length: 5000 },
      (_, index) => corpusEntry(index % 100, 1 + Math.floor(index / 100)).key,
    );
    limits.serverHeadsPerSecond = await headThroughput(
      server.endpoint,
      'bench-10k',
      keys,
      concurrency,
    );
    const proxy = await startLatencyProxy(server, rttMs);
    limits.proxiedHeadsPerSecond = await headThroughput(
      proxy.endpoint,
      'bench-10k',
      keys,
      concurrency,
    );
    await proxy.stop();
    console.log(
      `server HEAD ceiling at concurrency ${concurrency}: ${Math.round(limits.serverHeadsPerSecond)}/s direct, ${Math.round(limits.proxiedHeadsPerSecond)}/s through the ${rttMs} ms proxy` +
        ` (10,000 HEADs: ${(10_000 / limits.proxiedHeadsPerSecond).toFixed(2)} s at best)`,
    );

    const hundred: CorpusShape = { deltaspaces: 1000, versions: 99 };
    await serverSuite(server, '100k objects', 'bench-100k', hundred, [
      'cold quick',
      'warm quick',
      'sequential paging',
    ]);
  } finally {
    await server.stop();
  }

  // The client's algorithm at sizes the test server cannot hold: a bucket computed on the fly,
  // each request delayed by the same round trip; each scenario in a fresh process.
  const simulated: [string, CorpusShape][] = [
    ['100k objects (simulated)', { deltaspaces: 1000, versions: 99 }],
  ];
  if (!skipMillion)
    simulated.push(['1M objects (simulated)', { deltaspaces: 10_000, versions: 99 }]);
  for (const [suite, shape] of simulated) {
    let cache: string | undefined;
    for (const scenario of ['cold quick', 'warm quick', 'sequential paging'] as const) {
      const result = await runSimulated({
        shape,
        rttMs,
        concurrency,
        scenario,
        ...(scenario === 'warm quick' && cache ? { cache } : {}),
      });
      if (result.cache) cache = result.cache;
      report({
        suite,
        scenario,
        requests: result.requests,
        wallMs: result.wallMs,
        peakRssMb: result.peakRssMb,
        note: result.note,
      });
    }
  }

  console.log(`\n${formatTable(results)}`);
  const machine = {
    cores: cpus().length,
    model: cpus()[0]?.model,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
  };
  await writeBenchResults('bench', { rttMs, concurrency, machine, limits, results });
}

/**
 * Where the codec suites write their pairs, deltas and decoded files: in memory (/dev/shm)
 * where there is one, so that a decode's time is the codec's. On this VM's disk a write of the
 * same 74 MB took 19-35 ms one time and 1 s the next, and xdelta3's decodes of the source tar
 * took 0.87-1.29 s there against 0.15 s in memory (BENCHMARKS.md); `--dir` measures a disk.
 */
function scratchInMemory(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/** `--suite codec-corpus`: the built-in codec's levels against xdelta3 and zstd on real releases. */
async function codecCorpusMain(): Promise<void> {
  const levels = numberList('levels', '1,2,3,4,5,6,7,8,9');
  const sizes = numberList('sizes', '1024');
  const zstd = spawnSync('zstd', ['--version'], { encoding: 'utf8' }).stdout?.trim() || 'no zstd';
  const directory = option('dir', join(scratchInMemory(), 'deltaglider-codec-corpus'));
  console.log(
    `deltaglider bench codec-corpus: levels ${levels.join(',')}, archives ${sizes.join(', ')} MB, ${describeMachine()}, ${xdelta3Version()}, ${zstd}, files in ${directory}`,
  );
  const rows = await runCodecCorpusSuite({
    levels,
    sizesMb: sizes.filter((size) => size > 0),
    corpusDirectory: option(
      'corpus',
      fileURLToPath(new URL('../../../.codec-corpus', import.meta.url)),
    ),
    directory,
    sourceTree: fileURLToPath(new URL('../../../node_modules/.pnpm', import.meta.url)),
    generatedOnly: process.argv.includes('--generated-only'),
    runs: positiveInteger('runs', option('runs', '3')),
    only: process.argv.includes('--pairs') ? wordList('pairs', '') : undefined,
  });
  await writeBenchResults('codec-corpus', { machine: describeMachine(), levels, rows });
}

/** `--suite codec`: the TypeScript codec against the xdelta3 program. */
async function codecMain(): Promise<void> {
  const sizes = numberList('sizes', '100,1024');
  const directory = option('dir', join(scratchInMemory(), 'deltaglider-codec'));
  console.log(
    `deltaglider bench codec: ${sizes.join(', ')} MB, ${describeMachine()}, ${xdelta3Version()}, files in ${directory}`,
  );
  const rows = await runCodecSuite({
    sizesMb: sizes.filter((size) => size > 0),
    directory,
    sourceTree: fileURLToPath(new URL('../../../node_modules/.pnpm', import.meta.url)),
  });
  await writeBenchResults('codec', rows);
}

/** `--suite exporter`: scrape latency while `deltaglider serve` recomputes 100,000 objects. */
async function exporterMain(): Promise<void> {
  console.log(`deltaglider bench exporter: ${describeMachine()}`);
  const server = await startServerChild();
  try {
    const result = await runExporterSuite(server);
    await writeBenchResults('exporter', result);
  } finally {
    await server.stop();
  }
}

/** `--suite startup`: how long the CLI takes to answer, against `node -e 0`. */
async function startupMain(): Promise<void> {
  console.log(`deltaglider bench startup: ${describeMachine()}`);
  const result = await runStartupSuite();
  await writeBenchResults('startup', result);
}

/**
 * `--suite cold-listing [--objects N]`: a cold quick stats of a bucket shaped as issue 26's
 * large ones (mixed-object-store.ts; 1,000,000 objects by default) against paging its listing
 * sequentially, each request delayed by the round trip, each in a fresh process.
 */
async function coldListingMain(): Promise<void> {
  const objects = argument('objects', 1_000_000);
  console.log(
    `deltaglider bench cold-listing: ${objects.toLocaleString('en-US')} objects, ${rttMs} ms round trip, ${describeMachine()}`,
  );
  console.log(formatTable([]).split('\n').slice(0, 2).join('\n'));
  for (const scenario of ['sequential paging', 'cold quick'] as const) {
    const result = await runSimulated({ mixed: objects, rttMs, concurrency, scenario });
    report({ suite: `${objects / 1000}k mixed (simulated)`, scenario, ...result });
  }
  console.log(`\n${formatTable(results)}`);
  await writeBenchResults('cold-listing', { objects, rttMs, results });
}

/** `--suite inventory`: stats read from generated S3 Inventory reports, CSV.gz and Parquet. */
async function inventoryMain(): Promise<void> {
  const rows = argument('rows', 10_000_000);
  console.log(
    `deltaglider bench inventory: ${rows.toLocaleString('en-US')} rows, ${describeMachine()}`,
  );
  const results = await runInventorySuite({
    rows,
    shapes: wordList('shapes', 'proxy,python,proxy-unsorted') as InventoryShape[],
    sources: wordList('sources', 'file,s3') as ('file' | 's3')[],
    onResult: (result) =>
      console.log(
        `${result.shape.padEnd(14)} ${result.format.padEnd(8)} ${result.source.padEnd(5)} ${result.reader.padEnd(10)} ${result.rows.toLocaleString('en-US').padStart(12)} rows  ${(result.wallMs / 1000).toFixed(1).padStart(6)} s  ${Math.round(result.rowsPerSecond).toLocaleString('en-US').padStart(10)} rows/s  peak RSS ${result.peakRssMb.toFixed(0)} MB  (generated in ${(result.generateMs / 1000).toFixed(0)} s)`,
      ),
  });
  await writeBenchResults('inventory', { rows, machine: describeMachine(), results });
}

const suiteName = option('suite', '') || undefined;
await (suiteName === 'big-files'
  ? bigFilesMain()
  : suiteName === 'codec'
    ? codecMain()
    : suiteName === 'codec-corpus'
      ? codecCorpusMain()
      : suiteName === 'exporter'
        ? exporterMain()
        : suiteName === 'facts'
          ? runFactsSuite()
          : suiteName === 'startup'
            ? startupMain()
            : suiteName === 'cold-listing'
              ? coldListingMain()
              : suiteName === 'inventory'
                ? inventoryMain()
                : main());
// The S3 clients keep sockets alive; the bench is done.
process.exit(0);
