import type { Argv } from 'yargs';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { type FilterArguments, withFilters } from '../options/with-filters.js';
import { type OutputLevelArguments, withOutputLevel } from '../options/with-output-level.js';
import { type TimeoutArguments, withTimeout } from '../options/with-timeout.js';
import type { CliCommand } from './cli-command.js';

export interface RmArguments
  extends EndpointArguments,
    TimeoutArguments,
    FilterArguments,
    OutputLevelArguments {
  readonly target: string;
  readonly recursive: boolean;
  readonly dryrun: boolean;
  readonly 'incomplete-uploads': boolean;
  readonly 'older-than'?: string | undefined;
}

export const rmCommand: CliCommand<RmArguments> = {
  command: 'rm <target>',
  describe:
    'Remove a file, or everything under a prefix (-r); references stay until `gc` frees them',
  builder: (yargs) =>
    withFilters(withOutputLevel(withTimeout(yargs)))
      .positional('target', {
        type: 'string',
        demandOption: true,
        describe: 's3://BUCKET/KEY, or s3://BUCKET/PREFIX/ with -r or --incomplete-uploads',
      })
      .option('recursive', {
        alias: 'r',
        type: 'boolean',
        default: false,
        describe: 'Remove everything under the prefix, one line per object as it goes',
      })
      .option('dryrun', {
        type: 'boolean',
        default: false,
        describe: 'Print what would be removed, remove nothing',
      })
      .option('incomplete-uploads', {
        type: 'boolean',
        default: false,
        describe:
          'Abort the unfinished multipart uploads under the prefix instead (their parts are billed until aborted; stats --uploads counts them)',
      })
      .option('older-than', {
        type: 'string',
        describe:
          'With --incomplete-uploads: only uploads begun at least this long ago (30m, 12h, 7d; default 1d, so a running upload is safe)',
      })
      .example('$0 rm s3://releases/app/app-1.0.1.zip', 'Remove one version')
      .example(
        '$0 rm -r --dryrun s3://releases/app/',
        'Show what removing a directory would delete',
      )
      .example(
        '$0 rm --incomplete-uploads --older-than 7d s3://releases/',
        'Abort uploads left unfinished for a week',
      ) as Argv<RmArguments>,
  run: async (argv, io) => (await import('./rm-run.js')).runRm(argv, io),
};
