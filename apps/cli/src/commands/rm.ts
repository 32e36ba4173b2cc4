import type { Argv } from 'yargs';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { parseS3Location } from '../s3-target.js';
import { UsageError } from '../usage-error.js';
import type { CliCommand } from './cli-command.js';

export interface RmArguments extends EndpointArguments {
  readonly target: string;
  readonly recursive: boolean;
  readonly dryrun: boolean;
}

export const rmCommand: CliCommand<RmArguments> = {
  command: 'rm <target>',
  describe:
    'Remove a file, or everything under a prefix (-r); a reference goes only with its last delta',
  builder: (yargs) =>
    yargs
      .positional('target', {
        type: 'string',
        demandOption: true,
        describe: 's3://BUCKET/KEY, or s3://BUCKET/PREFIX/ with -r',
      })
      .option('recursive', {
        alias: 'r',
        type: 'boolean',
        default: false,
        describe: 'Remove everything under the prefix',
      })
      .option('dryrun', {
        type: 'boolean',
        default: false,
        describe: 'Print what would be removed, remove nothing',
      })
      .example('$0 rm s3://releases/app/app-1.0.1.zip', 'Remove one version')
      .example(
        '$0 rm -r --dryrun s3://releases/app/',
        'Show what removing a directory would delete',
      ) as Argv<RmArguments>,
  run: runRm,
};

async function runRm(argv: RmArguments, io: CliIo): Promise<void> {
  const { bucket, path } = parseS3Location(argv.target);
  const client = buildClient(argv, io);
  if (!argv.recursive) {
    if (argv.dryrun) throw new UsageError('--dryrun goes with -r');
    if (path === '' || path.endsWith('/'))
      throw new UsageError(`${argv.target} names no file: use -r to remove a prefix`);
    const result = await client.remove(bucket, path);
    for (const key of result.deleted) io.stdout.write(`delete: s3://${bucket}/${key}\n`);
    return;
  }
  const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  const result = await client.removeRecursive(bucket, prefix, { dryRun: argv.dryrun });
  const label = argv.dryrun ? '(dryrun) delete' : 'delete';
  for (const key of result.deleted) io.stdout.write(`${label}: s3://${bucket}/${key}\n`);
  if (result.failed.length > 0) {
    for (const failure of result.failed)
      io.stderr.write(
        `deltaglider: warning: could not delete ${failure.key}: ${failure.message}\n`,
      );
    throw new Error(`${result.failed.length} object(s) could not be deleted`);
  }
}
