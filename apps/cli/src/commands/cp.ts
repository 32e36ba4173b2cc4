import { DEFAULT_TRANSFER_CONCURRENCY } from '@deltaglider/sdk';
import type { Argv } from 'yargs';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { type FilterArguments, withFilters } from '../options/with-filters.js';
import { type OutputLevelArguments, withOutputLevel } from '../options/with-output-level.js';
import { type TimeoutArguments, withTimeout } from '../options/with-timeout.js';
import type { CliCommand } from './cli-command.js';

export interface CpArguments
  extends EndpointArguments,
    TimeoutArguments,
    FilterArguments,
    OutputLevelArguments {
  readonly source: string;
  readonly destination: string;
  readonly recursive: boolean;
  readonly dryrun: boolean;
  readonly 'max-ratio': number;
  readonly 'follow-symlinks': boolean;
  readonly concurrency?: number | undefined;
}

/**
 * `-` as the source or destination: standard input or output, as `aws s3 cp -` takes it. The
 * parser reads a bare `-` as an empty flag, so `runCli` hands it over as this (NUL is in no
 * path).
 */
export const STANDARD_STREAM = '\0-';

export const cpCommand: CliCommand<CpArguments> = {
  command: 'cp <source> <destination>',
  describe: 'Upload with delta compression, or download with reconstruction and SHA-256 check',
  builder: (yargs) =>
    withFilters(withOutputLevel(withTimeout(yargs)))
      .positional('source', {
        type: 'string',
        demandOption: true,
        describe: 'A local path, s3://BUCKET/KEY, or - for standard input',
      })
      .positional('destination', {
        type: 'string',
        demandOption: true,
        describe: 's3://BUCKET/[DIR/][NAME], a local path, or - for standard output',
      })
      .option('recursive', {
        alias: 'r',
        type: 'boolean',
        default: false,
        describe: 'Copy a whole directory or prefix, one line per file as it completes',
      })
      .option('dryrun', {
        type: 'boolean',
        default: false,
        describe: 'Print what would be copied, copy nothing',
      })
      .option('max-ratio', {
        type: 'number',
        default: 0.5,
        describe:
          'Keep a delta only up to this fraction of the file; larger ones are stored direct',
      })
      .option('concurrency', {
        type: 'number',
        describe: `With -r, files copied at once (default ${DEFAULT_TRANSFER_CONCURRENCY})`,
      })
      .option('follow-symlinks', {
        type: 'boolean',
        default: true,
        describe: 'With -r, upload what symlinks point to (--no-follow-symlinks skips them)',
      })
      .example('$0 cp app-1.0.1.zip s3://releases/app/', 'Upload into the deltaspace releases/app')
      .example('$0 cp -r dist/ s3://releases/app/', 'Upload a directory, keeping relative paths')
      .example(
        '$0 cp -r build/ s3://releases/app/ --exclude "*" --include "*.zip"',
        'Upload only the archives',
      )
      .example('$0 cp s3://releases/app/app-1.0.1.zip .', 'Download, rebuilt and verified')
      .example(
        'tar c dir | $0 cp - s3://backups/host/dir.tar',
        'Upload standard input',
      ) as Argv<CpArguments>,
  run: async (argv, io) => (await import('./cp-run.js')).runCp(argv, io),
};
