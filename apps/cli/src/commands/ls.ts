import type { Argv } from 'yargs';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { type FilterArguments, withFilters } from '../options/with-filters.js';
import { type TimeoutArguments, withTimeout } from '../options/with-timeout.js';
import type { CliCommand } from './cli-command.js';

export interface LsArguments extends EndpointArguments, TimeoutArguments, FilterArguments {
  readonly target?: string | undefined;
  readonly recursive: boolean;
  readonly 'human-readable': boolean;
  readonly summarize: boolean;
}

export const lsCommand: CliCommand<LsArguments> = {
  command: 'ls [target]',
  describe:
    'List files as users see them: deltas under their original names, references hidden; no target lists the buckets',
  builder: (yargs) =>
    withFilters(withTimeout(yargs))
      .positional('target', {
        type: 'string',
        describe: 's3://BUCKET[/PREFIX]; none: the buckets',
      })
      .option('recursive', {
        alias: 'r',
        type: 'boolean',
        default: false,
        describe: 'List every key below, not one level',
      })
      .option('human-readable', {
        alias: 'h',
        type: 'boolean',
        default: false,
        describe: 'Sizes in KiB, MiB, ...',
      })
      .option('summarize', {
        type: 'boolean',
        default: false,
        describe:
          'End with the file count and the total size stored, references and internal objects included (what the bill counts)',
      })
      .example('$0 ls', 'The buckets')
      .example('$0 ls s3://releases/app/', 'One level, like aws s3 ls')
      .example(
        '$0 ls -r -h --summarize s3://releases',
        'Everything, with totals',
      ) as Argv<LsArguments>,
  run: async (argv, io) => (await import('./ls-run.js')).runLs(argv, io),
};
