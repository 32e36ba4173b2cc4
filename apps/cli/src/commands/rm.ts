import type { Argv } from 'yargs';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { type FilterArguments, filterOf, withFilters } from '../options/with-filters.js';
import {
  type OutputLevelArguments,
  outputLevelOf,
  withOutputLevel,
} from '../options/with-output-level.js';
import {
  commandSignal,
  type TimeoutArguments,
  withDeadline,
  withTimeout,
} from '../options/with-timeout.js';
import { parseS3Location } from '../s3-target.js';
import { UsageError } from '../usage-error.js';
import type { CliCommand } from './cli-command.js';

export interface RmArguments
  extends EndpointArguments,
    TimeoutArguments,
    FilterArguments,
    OutputLevelArguments {
  readonly target: string;
  readonly recursive: boolean;
  readonly dryrun: boolean;
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
        describe: 's3://BUCKET/KEY, or s3://BUCKET/PREFIX/ with -r',
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
      .example('$0 rm s3://releases/app/app-1.0.1.zip', 'Remove one version')
      .example(
        '$0 rm -r --dryrun s3://releases/app/',
        'Show what removing a directory would delete',
      ) as Argv<RmArguments>,
  run: runRm,
};

async function runRm(argv: RmArguments, io: CliIo): Promise<void> {
  const { bucket, path } = parseS3Location(argv.target);
  const signal = commandSignal(argv, io);
  const client = buildClient(argv, io);
  const request = signal.signal ? { signal: signal.signal } : {};
  const doing = () => `while removing ${argv.target}`;
  const level = outputLevelOf(argv);
  const filter = filterOf(argv);
  const say = (line: string) => {
    if (level.operations) io.stdout.write(`${line}\n`);
  };
  if (!argv.recursive) {
    if (argv.dryrun) throw new UsageError('--dryrun goes with -r');
    if (filter) throw new UsageError('--exclude and --include go with -r');
    if (path === '' || path.endsWith('/'))
      throw new UsageError(`${argv.target} names no file: use -r to remove a prefix`);
    const result = await withDeadline(argv, signal, doing, () =>
      client.remove(bucket, path, request),
    );
    for (const key of result.deleted) say(`delete: s3://${bucket}/${key}`);
    return;
  }
  const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  const label = argv.dryrun ? '(dryrun) delete' : 'delete';
  const result = await withDeadline(argv, signal, doing, () =>
    client.removeRecursive(bucket, prefix, {
      ...request,
      dryRun: argv.dryrun,
      filter,
      onRemoved: (key) => say(`${label}: s3://${bucket}/${key}`),
    }),
  );
  for (const failure of result.failed)
    io.stderr.write(`deltaglider: failed: s3://${bucket}/${failure.key}: ${failure.message}\n`);
  const summary = `${result.deleted.length} done, ${result.failed.length} failed`;
  if (result.failed.length > 0) throw new Error(summary);
  if (level.summary) io.stderr.write(`deltaglider: ${summary}\n`);
}
