import type { BucketStatsResult, InventoryStats, InventoryStatsRequest } from '@deltaglider/sdk';
import { buildClient, clientOptionsFrom, stderrLoggerFor } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { commandSignal, withDeadline } from '../options/with-timeout.js';
import { createProgressReporter } from '../output/progress-reporter.js';
import { parseS3Target } from '../s3-target.js';
import { WorkerStatsSource } from '../serve/worker-stats-source.js';
import { UsageError } from '../usage-error.js';
import type { StatsArguments } from './stats.js';

/** Flags that ask for a listing, HEADs or the cache: an inventory read has none of them. */
const LISTING_ONLY = [
  'refresh',
  'cache',
  'list-strategy',
  'list-concurrency',
  'max-age',
  'max-objects',
  'concurrency',
  'watch',
  'sampled',
  'detailed',
  'versions',
  'uploads',
] as const;

/** `stats --inventory URL`: one read of an S3 Inventory report, rendered like a listing's. */
export async function statsFromInventory(
  argv: StatsArguments,
  io: CliIo,
  render: (stats: BucketStatsResult, elapsedMs: number) => string,
  showProgress: boolean,
): Promise<void> {
  checkInventoryFlags(argv);
  const { bucket, prefix } = parseS3Target(argv.target);
  const flavour = argv['emit-sql'];
  if (flavour !== undefined) {
    // The SQL needs the manifest only: read here, no worker.
    const sql = await buildClient(argv, io).inventorySql(bucket, {
      inventory: argv.inventory!,
      flavour,
      date: argv['inventory-date'],
      prefix,
      table: argv['sql-table'],
      signal: commandSignal(argv, io).signal,
    });
    io.stdout.write(sql);
    return;
  }
  const started = performance.now();
  const progress = createProgressReporter(io, showProgress);
  let rows = 0;
  const signal = commandSignal(argv, io);
  let stats: InventoryStats;
  try {
    stats = await withDeadline(
      argv,
      signal,
      () => `(${rows} inventory rows read)`,
      () =>
        readInCappedHeap(argv, io, bucket, {
          inventory: argv.inventory!,
          date: argv['inventory-date'],
          prefix,
          byDeltaspace: argv['by-deltaspace'],
          signal: signal.signal,
          onProgress: (update) => {
            if (update.phase === 'list') rows = update.objects;
            progress.onProgress?.(update);
          },
        }),
    );
  } finally {
    progress.done();
  }
  io.stdout.write(render(stats, performance.now() - started));
}

/**
 * V8 lets garbage grow to about four times the live heap before it collects: decoding 10 M
 * rows left 400 MB resident for 60 MB live (Parquet). On a worker thread whose heap is capped it
 * collects sooner (under 300 MB, BENCHMARKS.md). An inventory whose live data outgrows the cap
 * is read again on this thread, uncapped. `DG_INVENTORY_HEAP_MB` sets another cap.
 */
const DEFAULT_INVENTORY_HEAP_MB = 256;
/** Rows die young: a small young generation is collected often and promotes less. */
const YOUNG_GENERATION_MB = 8;

function inventoryHeapMb(env: CliIo['env']): number {
  const given = env.DG_INVENTORY_HEAP_MB;
  if (given === undefined || given === '') return DEFAULT_INVENTORY_HEAP_MB;
  const megabytes = Number(given);
  if (!Number.isInteger(megabytes) || megabytes < 1)
    throw new UsageError(
      `DG_INVENTORY_HEAP_MB must be a whole number of megabytes, not ${JSON.stringify(given)}`,
    );
  return megabytes;
}

async function readInCappedHeap(
  argv: StatsArguments,
  io: CliIo,
  bucket: string,
  request: InventoryStatsRequest,
): Promise<InventoryStats> {
  const heapMb = inventoryHeapMb(io.env);
  const worker = new WorkerStatsSource(clientOptionsFrom(argv, io), io.env, {
    resourceLimits: {
      maxOldGenerationSizeMb: heapMb,
      maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
    },
    command: { stderr: io.stderr },
  });
  try {
    return await worker.getInventoryStats(bucket, request);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw error;
    stderrLoggerFor(io).warn(
      `the inventory outgrew a ${heapMb} MB heap (DG_INVENTORY_HEAP_MB): reading it again without that limit`,
    );
    return buildClient(argv, io).getInventoryStats(bucket, request);
  } finally {
    await worker.terminate();
  }
}

function checkInventoryFlags(argv: StatsArguments): void {
  const given = LISTING_ONLY.filter((flag) => {
    const value = argv[flag];
    return value !== undefined && value !== false;
  });
  if (argv.mode !== undefined && argv.mode !== 'quick') given.push('mode' as never);
  if (argv['sql-table'] !== undefined && argv['emit-sql'] !== 'athena')
    throw new UsageError('--sql-table goes with --emit-sql athena');
  if (given.length > 0)
    throw new UsageError(
      `--inventory reads a report, not the bucket: it cannot go with ${given.map((flag) => `--${flag}`).join(', ')} (its stats are quick stats: originals from listing facts where the inventory has them, estimated otherwise)`,
    );
}
