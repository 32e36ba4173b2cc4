import type { StatsMode } from '@deltaglider/sdk';
import {
  type PricePreset,
  pricePresetNames,
  type SqlFlavour,
  sqlFlavours,
  statsModes,
} from '@deltaglider/sdk';
import type { Argv } from 'yargs';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { type TimeoutArguments, withTimeout } from '../options/with-timeout.js';
import type { CliCommand } from './cli-command.js';

export interface StatsArguments extends EndpointArguments, TimeoutArguments {
  readonly target: string;
  readonly mode?: StatsMode | undefined;
  readonly sampled: boolean;
  readonly detailed: boolean;
  readonly refresh: boolean;
  readonly 'list-strategy'?: 'auto' | 'ranged' | 'sequential';
  readonly 'list-concurrency'?: number | undefined;
  /** `--cache WHERE`; `--no-cache` gives false. */
  readonly cache?: string | boolean;
  readonly json: boolean;
  readonly format?: string | undefined;
  readonly watch?: number | undefined;
  readonly 'by-deltaspace': boolean;
  readonly versions: boolean;
  readonly uploads: boolean;
  readonly history: boolean;
  readonly price?: string | undefined;
  readonly 'price-preset'?: PricePreset | undefined;
  readonly 'max-age'?: number | undefined;
  readonly concurrency?: number | undefined;
  readonly 'max-objects'?: number | undefined;
  readonly inventory?: string | undefined;
  readonly 'inventory-date'?: string | undefined;
  readonly 'emit-sql'?: SqlFlavour | undefined;
  readonly 'sql-table'?: string | undefined;
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
          "auto (default): list ranges in parallel (cut points from the cache, or found in the bucket's directories past four pages), sequentially where a server breaks S3 key order; ranged: fail there instead; sequential: never in ranges",
      })
      .option('list-concurrency', {
        type: 'number',
        describe: 'LIST requests in flight at once when listing in ranges (default 16)',
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
      .option('versions', {
        type: 'boolean',
        default: false,
        describe:
          'Also list every version (ListObjectVersions, one more pass, not cached): older versions and delete markers, billed but not in the stats; per deltaspace with --by-deltaspace',
      })
      .option('uploads', {
        type: 'boolean',
        default: false,
        describe:
          'Also count unfinished multipart uploads and their parts (billed until aborted: rm --incomplete-uploads); not cached',
      })
      .option('history', {
        type: 'boolean',
        default: false,
        describe:
          "Print the bucket's daily history instead (a point per UTC day a whole-bucket result was computed: stored, original, billed bytes, objects) and this month's average of daily stored bytes",
      })
      .option('price', {
        type: 'string',
        describe:
          'Estimate the monthly cost at these prices per GiB-month, by storage class: STANDARD=0.023,STANDARD_IA=0.0125 (over --price-preset when both are given)',
      })
      .option('price-preset', {
        type: 'string',
        choices: pricePresetNames,
        describe:
          'Estimate the monthly cost at published list prices (docs/cost.md: sources and dates)',
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
      .option('inventory', {
        type: 'string',
        describe:
          'Read an S3 Inventory report instead of listing (s3://DEST/PREFIX/ or file://DIR, the folder holding the dated report folders): quick stats as of the report, nothing cached',
      })
      .option('inventory-date', {
        type: 'string',
        describe:
          'With --inventory: the report of this day (2026-12-01) or folder (2026-12-01T01-00Z), not the latest',
      })
      .option('emit-sql', {
        type: 'string',
        choices: sqlFlavours,
        describe:
          "With --inventory: print one SQL query giving the same per-deltaspace totals, for DuckDB (over the report's files) or Athena (over the inventory table), instead of computing them",
      })
      .option('sql-table', {
        type: 'string',
        describe: 'With --emit-sql athena: the inventory table (default s3_inventory)',
      })
      .example('$0 stats releases', 'Quick stats from the listing alone (cached)')
      .example('$0 stats s3://releases/app/ --mode detailed', 'Exact stats of one directory')
      .example('$0 stats releases --json --refresh', 'Recompute and print JSON for a dashboard')
      .example(
        '$0 stats releases --format prometheus',
        'Gauges for a Prometheus textfile collector',
      )
      .example('$0 stats releases --watch 60', 'A live view, repainted every minute')
      .example(
        '$0 stats releases --inventory s3://inventories/releases/daily/',
        'Stats of a bucket too large to list, from its latest S3 Inventory report',
      )
      .example('$0 stats releases --by-deltaspace', 'Which directories save the most')
      .example(
        '$0 stats releases --price-preset aws-us-east-1',
        'What the bucket costs a month, and would cost without deltas',
      )
      .example('$0 stats releases --history', "Stored bytes day by day, and the month's average")
      .example(
        '$0 stats releases --versions',
        'What the bill counts besides: older versions and delete markers',
      )
      .example(
        '$0 --endpoint-url file://./store stats demo',
        'Stats of a local directory store',
      ) as Argv<StatsArguments>,
  run: async (argv, io) => (await import('./stats-run.js')).runStats(argv, io),
};
