import type { Argv } from 'yargs';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { type TimeoutArguments, withTimeout } from '../options/with-timeout.js';
import type { CliCommand } from './cli-command.js';

export interface GcArguments extends EndpointArguments, TimeoutArguments {
  readonly target: string;
  readonly 'older-than': string;
  readonly dryrun: boolean;
}

export const gcCommand: CliCommand<GcArguments> = {
  command: 'gc <target>',
  describe:
    'Free references no delta has used for the grace period (a first run marks them, a later one deletes), and scratch objects of killed processes',
  builder: (yargs) =>
    withTimeout(yargs)
      .positional('target', {
        type: 'string',
        demandOption: true,
        describe: 'BUCKET, s3://BUCKET/ or s3://BUCKET/PREFIX/',
      })
      .option('older-than', {
        type: 'string',
        default: '1d',
        describe:
          'Grace period: a reference goes once runs this far apart (by the server clock) found no delta using it; longer than any listing lag of the server',
      })
      .option('dryrun', {
        type: 'boolean',
        default: false,
        describe: 'Print what would be deleted and marked, change nothing',
      })
      .example('$0 gc s3://releases/', 'Mark unused references, delete those marked a day ago')
      .example(
        '$0 gc --dryrun s3://releases/app/',
        'Show what a run would do',
      ) as Argv<GcArguments>,
  run: async (argv, io) => (await import('./gc-run.js')).runGc(argv, io),
};
