import { formatStatsPrometheus } from '@deltaglider/exporter';
import type {
  BucketStatsResult,
  CacheLocation,
  GetBucketStatsOptions,
  StatsMode,
  StatsProgress,
} from '@deltaglider/sdk';
import { statsModes } from '@deltaglider/sdk';
import type { Argv } from 'yargs';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { checkNumberFlag } from '../options/check-number-flag.js';
import type { EndpointArguments } from '../options/with-endpoint.js';
import {
  commandSignal,
  type TimeoutArguments,
  withDeadline,
  withTimeout,
} from '../options/with-timeout.js';
import { formatStatsReport } from '../output/format-stats.js';
import { createProgressReporter } from '../output/progress-reporter.js';
import { formatStatsJson } from '../output/stats-json.js';
import { parseS3Target } from '../s3-target.js';
import { UsageError } from '../usage-error.js';
import type { CliCommand } from './cli-command.js';

export interface StatsArguments extends EndpointArguments, TimeoutArguments {
  readonly target: string;
  readonly mode?: StatsMode | undefined;
  readonly sampled: boolean;
  readonly detailed: boolean;
  readonly refresh: boolean;
  readonly 'list-strategy'?: 'auto' | 'ranged' | 'sequential';
  /** `--cache WHERE`; `--no-cache` gives false. */
  readonly cache?: string | boolean;
  readonly json: boolean;
  readonly format?: string | undefined;
  readonly watch?: number | undefined;
  readonly 'by-deltaspace': boolean;
  readonly 'max-age'?: number | undefined;
  readonly concurrency?: number | undefined;
  readonly 'max-objects'?: number | undefined;
}

export const statsCommand: CliCommand<StatsArguments> = {
  command: 'stats <target>',
  describe: 'Show how much space delta compression saves in a bucket (cached in the bucket)',
  builder: (yargs: Argv<EndpointArguments>) =>
    withTimeout(yargs, 'Give up after this many seconds, saying how far it got (nothing is cached)')
      .positional('target', {
        type: 'string',
        demandOption: true,
        describe: 'BUCKET, s3://BUCKET or s3://BUCKET/PREFIX/ (stats of that directory only)',
      })
      .option('mode', {
        type: 'string',
        choices: statsModes,
        describe:
          'quick (default): the listing alone; sampled: HEAD 2 deltas per deltaspace to refine the estimate (none that listing facts already cover); detailed: exact original sizes, a HEAD for every delta that listing facts or the known-originals cache do not cover',
      })
      .option('sampled', {
        type: 'boolean',
        default: false,
        describe: 'Same as --mode sampled',
      })
      .option('detailed', {
        type: 'boolean',
        default: false,
        describe: 'Same as --mode detailed',
      })
      .option('refresh', {
        type: 'boolean',
        default: false,
        describe: 'Ignore the cache, recompute and rewrite it',
      })
      .option('cache', {
        type: 'string',
        describe:
          'Where the stats cache lives: bucket (default, under .deltaglider/), local (this machine, $DG_CACHE_DIR: for read-only users), both, or none (--no-cache)',
      })
      .option('list-strategy', {
        type: 'string',
        choices: ['auto', 'ranged', 'sequential'] as const,
        describe:
          'auto (default): list ranges in parallel on warm calls, sequentially where a server breaks S3 key order; ranged: fail there instead; sequential: never in ranges',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print stable snake_case JSON, nothing else, on stdout',
      })
      .option('by-deltaspace', {
        type: 'boolean',
        default: false,
        describe:
          'Also show each deltaspace: deltas, reference, original, stored, saved (cached too)',
      })
      .option('format', {
        type: 'string',
        choices: ['human', 'json', 'prometheus'],
        describe: 'Output format (--json is --format json)',
      })
      .option('watch', {
        type: 'number',
        describe:
          'Repeat every SECONDS (answered from the cache while nothing changes) until interrupted',
      })
      .option('max-age', {
        type: 'number',
        describe: 'Recompute when the cache is older than this many seconds',
      })
      .option('concurrency', {
        type: 'number',
        describe: 'HEAD requests in flight at once (default 64)',
      })
      .option('max-objects', {
        type: 'number',
        describe: 'Stop listing after this many objects (result marked, never cached)',
      })
      .example('$0 stats releases', 'Quick stats from the listing alone (cached)')
      .example('$0 stats s3://releases/app/ --mode detailed', 'Exact stats of one directory')
      .example('$0 stats releases --json --refresh', 'Recompute and print JSON for a dashboard')
      .example(
        '$0 stats releases --format prometheus',
        'Gauges for a Prometheus textfile collector',
      )
      .example('$0 stats releases --watch 60', 'A live view, repainted every minute')
      .example('$0 stats releases --by-deltaspace', 'Which directories save the most')
      .example(
        '$0 --endpoint-url file://./store stats demo',
        'Stats of a local directory store',
      ) as Argv<StatsArguments>,
  run: runStats,
};

/** `deltaglider stats`: flags into one call (or a --watch loop of them), rendered. */
export async function runStats(argv: StatsArguments, io: CliIo): Promise<void> {
  const request = statsRequestOf(argv);
  const client = buildClient(argv, io);
  const render = (stats: BucketStatsResult, elapsedMs: number) =>
    request.format === 'json'
      ? formatStatsJson(stats)
      : request.format === 'prometheus'
        ? formatStatsPrometheus(stats)
        : formatStatsReport({ stats, elapsedMs });
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
  if (argv.json && argv.format !== undefined && argv.format !== 'json') {
    throw new UsageError(`--json and --format ${argv.format} cannot be used together`);
  }
  checkNumbers(argv);
  const { bucket, prefix } = parseS3Target(argv.target);
  const format = argv.json ? 'json' : ((argv.format ?? 'human') as StatsRequest['format']);
  return {
    bucket,
    format,
    options: {
      mode,
      prefix,
      useCache: cache !== 'none',
      listStrategy: argv['list-strategy'],
      cacheLocation: cache === 'none' ? undefined : cache,
      byDeltaspace: argv['by-deltaspace'],
      maxAgeSeconds: argv['max-age'],
      concurrency: argv.concurrency,
      maxObjects: argv['max-objects'],
    },
  };
}

function checkNumbers(argv: StatsArguments): void {
  checkNumberFlag('max-age', argv['max-age'], 'non-negative');
  checkNumberFlag('concurrency', argv.concurrency, 'count');
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
