import type { Argv } from 'yargs';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { parseDuration } from '../options/parse-duration.js';
import type { EndpointArguments } from '../options/with-endpoint.js';
import {
  commandSignal,
  type TimeoutArguments,
  withDeadline,
  withTimeout,
} from '../options/with-timeout.js';
import { parseS3Target } from '../s3-target.js';
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
  run: runGc,
};

async function runGc(argv: GcArguments, io: CliIo): Promise<void> {
  const olderThanMs = parseDuration(argv['older-than'], '--older-than');
  const { bucket, prefix } = parseS3Target(argv.target);
  const target = `s3://${bucket}/${prefix}`;
  const signal = commandSignal(argv, io);
  const client = buildClient(argv, io);
  const label = argv.dryrun ? '(dryrun) delete' : 'delete';
  const report = await withDeadline(
    argv,
    signal,
    () => `while collecting garbage in ${target}`,
    () =>
      client.collectGarbage(bucket, prefix, {
        olderThanMs,
        dryRun: argv.dryrun,
        signal: signal.signal,
        onRemoved: (key) => io.stdout.write(`${label}: s3://${bucket}/${key}\n`),
      }),
  );
  const marking = argv.dryrun ? '(dryrun) mark' : 'mark';
  for (const key of report.marked)
    io.stdout.write(
      `${marking}: s3://${bucket}/${key} (no delta uses it; deleted by a run after ${argv['older-than']})\n`,
    );
  for (const key of report.waiting)
    io.stdout.write(`wait: s3://${bucket}/${key} (marked less than ${argv['older-than']} ago)\n`);
  for (const failure of report.failed)
    io.stderr.write(`deltaglider: failed: s3://${bucket}/${failure.key}: ${failure.message}\n`);
  const summary = `${report.deleted.length} deleted, ${report.marked.length} marked, ${report.waiting.length} waiting, ${report.failed.length} failed`;
  if (report.failed.length > 0) throw new Error(summary);
  io.stderr.write(`deltaglider: ${summary}\n`);
}
