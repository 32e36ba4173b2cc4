import {
  type BucketStatsResult,
  type CacheLocation,
  estimateMonthlyCost,
  type GetBucketStatsOptions,
  InvalidArgumentError,
  type StatsMode,
  type StatsProgress,
  type StoragePrices,
  storagePricesOf,
} from '@deltaglider/sdk';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { checkNumberFlag } from '../options/check-number-flag.js';
import { commandSignal, type TimeoutArguments, withDeadline } from '../options/with-timeout.js';
import { formatStatsReport, type PricedStats } from '../output/format-stats.js';
import { createProgressReporter } from '../output/progress-reporter.js';
import { formatStatsJson } from '../output/stats-json.js';
import { parseS3Target } from '../s3-target.js';
import { UsageError } from '../usage-error.js';
import type { StatsArguments } from './stats.js';
import { printStatsHistory } from './stats-history.js';
import { statsFromInventory } from './stats-inventory.js';

/** `deltaglider stats`: flags into one call (or a --watch loop of them), rendered. */
export async function runStats(argv: StatsArguments, io: CliIo): Promise<void> {
  if (argv.history) return printStatsHistory(argv, io);
  const prices = pricesOf(argv);
  if (argv.inventory !== undefined) {
    const format = formatOf(argv);
    return statsFromInventory(argv, io, await rendererOf(format, prices), format === 'human');
  }
  for (const flag of ['inventory-date', 'emit-sql', 'sql-table'] as const)
    if (argv[flag] !== undefined) throw new UsageError(`--${flag} needs --inventory`);
  const request = statsRequestOf(argv);
  const client = buildClient(argv, io);
  const render = await rendererOf(request.format, prices);
  const computeOnce = async (refresh: boolean) => {
    const started = performance.now();
    const stats = await statsWithin(argv, io, request.format === 'human', (extra) =>
      client.getBucketStats(request.bucket, {
        ...request.options,
        refreshCache: refresh,
        ...extra,
      }),
    );
    return render(stats, performance.now() - started);
  };
  if (argv.watch === undefined) {
    io.stdout.write(await computeOnce(argv.refresh));
    return;
  }
  // --watch: repaint until interrupted; only the first call honours --refresh.
  const repaint = request.format === 'human' && io.stdout.isTTY === true;
  for (let round = 0; !io.signal?.aborted; round++) {
    let output: string;
    try {
      output = await computeOnce(argv.refresh && round === 0);
    } catch (error) {
      if (io.signal?.aborted) return;
      throw error;
    }
    io.stdout.write(repaint ? `\x1b[2J\x1b[H${output}` : output);
    await sleep(argv.watch * 1000, io.signal);
  }
}

interface StatsRequest {
  readonly bucket: string;
  readonly format: 'human' | 'json' | 'prometheus';
  readonly options: GetBucketStatsOptions;
}

/** The flags as a stats call, checked for what only the command line can get wrong. */
function statsRequestOf(argv: StatsArguments): StatsRequest {
  const mode = modeOf(argv);
  const cache = cacheLocationOf(argv.cache);
  if (argv.refresh && cache === 'none')
    throw new UsageError('--refresh and --no-cache cannot be used together');
  checkNumbers(argv);
  const { bucket, prefix } = parseS3Target(argv.target);
  const format = formatOf(argv);
  return {
    bucket,
    format,
    options: {
      mode,
      prefix,
      useCache: cache !== 'none',
      listStrategy: argv['list-strategy'],
      listConcurrency: argv['list-concurrency'],
      cacheLocation: cache === 'none' ? undefined : cache,
      byDeltaspace: argv['by-deltaspace'],
      versions: argv.versions,
      uploads: argv.uploads,
      maxAgeSeconds: argv['max-age'],
      concurrency: argv.concurrency,
      maxObjects: argv['max-objects'],
    },
  };
}

/** `--format`, or `--json` (the same as `--format json`). */
function formatOf(argv: StatsArguments): StatsRequest['format'] {
  if (argv.json && argv.format !== undefined && argv.format !== 'json')
    throw new UsageError(`--json and --format ${argv.format} cannot be used together`);
  return argv.json ? 'json' : ((argv.format ?? 'human') as StatsRequest['format']);
}

function checkNumbers(argv: StatsArguments): void {
  checkNumberFlag('max-age', argv['max-age'], 'non-negative');
  checkNumberFlag('concurrency', argv.concurrency, 'count');
  checkNumberFlag('list-concurrency', argv['list-concurrency'], 'count');
  checkNumberFlag('max-objects', argv['max-objects'], 'count');
  checkNumberFlag('watch', argv.watch, 'positive');
}

/** `--mode`, or its aliases `--sampled` and `--detailed`; none: the SDK's default. */
function modeOf(argv: StatsArguments): StatsMode | undefined {
  const aliases = (['sampled', 'detailed'] as const).filter((alias) => argv[alias]);
  if (aliases.length > 1) throw new UsageError('--sampled and --detailed cannot be used together');
  const [alias] = aliases;
  if (alias && argv.mode !== undefined && argv.mode !== alias)
    throw new UsageError(`--mode ${argv.mode} and --${alias} cannot be used together`);
  return argv.mode ?? alias;
}

/**
 * One stats call with progress on a terminal, bounded by `--timeout` (and Ctrl-C): a call that
 * runs out of time says how far it got.
 */
async function statsWithin(
  argv: TimeoutArguments,
  io: CliIo,
  showProgress: boolean,
  call: (extra: {
    signal?: AbortSignal | undefined;
    onProgress: (update: StatsProgress) => void;
  }) => Promise<BucketStatsResult>,
): Promise<BucketStatsResult> {
  const progress = createProgressReporter(io, showProgress);
  let listedObjects = 0;
  let headsDone = 0;
  let headsTotal = 0;
  const onProgress = (update: StatsProgress) => {
    if (update.phase === 'list') listedObjects = update.objects;
    else {
      headsDone = update.done;
      headsTotal = update.total;
    }
    progress.onProgress?.(update);
  };
  const signal = commandSignal(argv, io);
  const howFar = () => {
    const heads = headsTotal > 0 ? `, ${headsDone} of ${headsTotal} HEADs done` : '';
    return `(${listedObjects} objects listed${heads}); nothing was cached`;
  };
  try {
    return await withDeadline(argv, signal, howFar, () =>
      call({ signal: signal.signal, onProgress }),
    );
  } finally {
    progress.done();
  }
}

/** Waits, or returns early when the signal aborts (Ctrl-C ends --watch cleanly). */
function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** `--cache bucket|local|both|none`; `--no-cache` is `none`. */
function cacheLocationOf(value: string | boolean | undefined): CacheLocation | 'none' {
  if (value === undefined || value === true) return 'bucket';
  if (value === false) return 'none';
  if (value === 'bucket' || value === 'local' || value === 'both' || value === 'none') return value;
  throw new UsageError(`--cache must be bucket, local, both or none, not ${JSON.stringify(value)}`);
}

/** `--price` and `--price-preset` as prices, or undefined without either. */
function pricesOf(argv: StatsArguments): StoragePrices | undefined {
  if (argv.price === undefined && argv['price-preset'] === undefined) return undefined;
  try {
    return storagePricesOf(argv.price, argv['price-preset']);
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) throw new UsageError(`--price: ${error.message}`);
    throw error;
  }
}

/**
 * How a result prints, with its monthly cost when prices were given; the exporter's
 * formatter loads only for the format that needs it.
 */
async function rendererOf(
  format: StatsRequest['format'],
  prices?: StoragePrices,
): Promise<(stats: BucketStatsResult, elapsedMs: number) => string> {
  const priced = (stats: BucketStatsResult): PricedStats =>
    prices ? { ...stats, cost: estimateMonthlyCost(stats, prices) } : stats;
  if (format === 'json') return (stats) => formatStatsJson(priced(stats));
  if (format === 'prometheus') {
    const { formatStatsPrometheus } = await import('@deltaglider/exporter');
    return (stats) => formatStatsPrometheus(priced(stats));
  }
  return (stats, elapsedMs) => formatStatsReport({ stats: priced(stats), elapsedMs });
}
