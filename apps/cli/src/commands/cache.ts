import { statsModes } from '@deltaglider/sdk';
import type { Argv } from 'yargs';
import type { EndpointArguments } from '../options/with-endpoint.js';
import type { CliCommand } from './cli-command.js';

export interface CacheArguments extends EndpointArguments {
  readonly action: string;
  readonly target?: string | undefined;
  readonly mode?: string | undefined;
  readonly json: boolean;
  readonly exporter?: string | undefined;
}

export const cacheCommand: CliCommand<CacheArguments> = {
  command: 'cache <action> [target]',
  describe:
    "Inspect (status) or delete (clear) a bucket's stats caches under .deltaglider/, or empty this machine's reference cache (prune)",
  builder: (yargs) =>
    yargs
      .positional('action', {
        type: 'string',
        choices: ['status', 'clear', 'prune'],
        demandOption: true,
      })
      .positional('target', {
        type: 'string',
        describe: 'BUCKET or s3://BUCKET[/PREFIX/] (status and clear)',
      })
      .option('mode', {
        type: 'string',
        choices: statsModes,
        describe: 'clear: only this mode',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'status: snake_case JSON on stdout',
      })
      .option('exporter', {
        type: 'string',
        describe:
          'status: the cache statistics of a running `deltaglider serve` at this URL (hits, misses, stale, errors, ages)',
      })
      .example(
        '$0 cache status releases',
        'Per mode: present, age, fresh or stale for the bucket as it is now',
      )
      .example(
        '$0 cache clear releases --mode detailed',
        'Delete one cache; the next stats call recomputes',
      )
      .example(
        '$0 cache status --exporter http://127.0.0.1:9340',
        "A running exporter's cache hits, misses, stale caches and errors, and each target's age",
      )
      .example(
        '$0 cache prune',
        'Delete every reference kept in $DG_CACHE_DIR/references; they are fetched again when needed',
      ) as Argv<CacheArguments>,
  run: async (argv, io) => (await import('./cache-run.js')).runCache(argv, io),
};
