import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  DEFAULT_TRANSFER_CONCURRENCY,
  type DirectoryTransferReport,
  resolveDownloadPath,
  type TransferEvent,
  uploadKeyFor,
} from '@deltaglider/sdk';
import type { Argv } from 'yargs';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { checkNumberFlag } from '../options/check-number-flag.js';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { type FilterArguments, filterOf, withFilters } from '../options/with-filters.js';
import {
  type OutputLevel,
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
import { describeDryRun, describeUpload, printTransferEvent } from '../output/transfer-printer.js';
import { TransferProgress } from '../output/transfer-progress.js';
import { isS3Url, parseS3Location } from '../s3-target.js';
import { UsageError } from '../usage-error.js';
import type { CliCommand } from './cli-command.js';
import { downloadToStandardOutput, uploadStandardInput } from './cp-pipes.js';

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
  run: runCp,
};

async function runCp(argv: CpArguments, io: CliIo): Promise<void> {
  const maxRatio = argv['max-ratio'];
  checkNumberFlag('max-ratio', maxRatio, { min: 0, max: 1 });
  const upload = !isS3Url(argv.source) && isS3Url(argv.destination);
  const download = isS3Url(argv.source) && !isS3Url(argv.destination);
  if (!upload && !download)
    throw new UsageError(
      'one of source and destination must be s3://BUCKET/..., the other a local path',
    );
  const signal = commandSignal(argv, io);
  const { bucket, path } = parseS3Location(upload ? argv.destination : argv.source);
  if (download && !argv.recursive && (path === '' || path.endsWith('/')))
    throw new UsageError(`${argv.source} names a directory, not a file: use -r to download it`);
  const piped = (upload ? argv.source : argv.destination) === STANDARD_STREAM;
  if (piped && argv.recursive) throw new UsageError('cp - copies one file: leave out -r');
  if (piped && upload && (path === '' || path.endsWith('/')))
    throw new UsageError(`cp - needs a whole key to upload to, not ${argv.destination}`);
  if (argv.source === STANDARD_STREAM && argv.destination === STANDARD_STREAM)
    throw new UsageError('one of source and destination must be s3://BUCKET/...');
  const concurrency = checkNumberFlag('concurrency', argv.concurrency, 'count');
  const level = outputLevelOf(argv);
  const filter = filterOf(argv);
  if (filter && !argv.recursive) throw new UsageError('--exclude and --include go with -r');
  const client = buildClient(argv, io);
  const request = signal.signal ? { signal: signal.signal } : {};
  const progress = level.progress ? new TransferProgress(io) : undefined;
  const onEvent = (event: TransferEvent) => {
    progress?.record(event);
    progress?.clear();
    printTransferEvent(event, bucket, io, level);
    progress?.show();
  };
  const bulk = { ...request, onEvent, concurrency, filter, dryRun: argv.dryrun };
  const say = (line: string) => {
    if (level.operations) io.stdout.write(`${line}\n`);
  };
  let current = '';
  const doing = () => (current === '' ? '' : `while copying ${current}`);

  await withDeadline(argv, signal, doing, async () => {
    if (upload) {
      current = argv.source;
      if (piped) {
        if (argv.dryrun)
          return say(describeDryRun({ direction: 'upload', path: '-', key: path }, bucket));
        const result = await uploadStandardInput(client, io, {
          bucket,
          key: path,
          maxRatio,
          signal: signal.signal,
        });
        return say(`upload: - to s3://${bucket}/${result.key}  ${describeUpload(result)}`);
      }
      const isDirectory = (await stat(argv.source)).isDirectory();
      if (isDirectory && !argv.recursive)
        throw new UsageError(`${argv.source} is a directory: use -r to copy it`);
      if (!isDirectory) {
        if (argv.dryrun) {
          const key = uploadKeyFor(path, basename(argv.source));
          return say(describeDryRun({ direction: 'upload', path: argv.source, key }, bucket));
        }
        const result = await client.upload(argv.source, bucket, path, { maxRatio, ...request });
        return say(`upload: s3://${bucket}/${result.key}  ${describeUpload(result)}`);
      }
      current = '';
      const report = await client.uploadDirectory(argv.source, bucket, path, {
        maxRatio,
        followSymlinks: argv['follow-symlinks'],
        ...bulk,
      });
      progress?.clear();
      return endBulk(report, io, level, argv.dryrun);
    }
    if (!argv.recursive) {
      current = argv.source;
      if (piped) {
        if (argv.dryrun)
          return say(describeDryRun({ direction: 'download', path: '-', key: path }, bucket));
        return downloadToStandardOutput(client, io, { bucket, key: path, signal: signal.signal });
      }
      if (argv.dryrun) {
        const local = await resolveDownloadPath(argv.destination, bucket, path);
        return say(describeDryRun({ direction: 'download', path: local, key: path }, bucket));
      }
      const result = await client.download(bucket, path, argv.destination, request);
      return say(`download: s3://${bucket}/${result.key} to ${result.path}`);
    }
    const report = await client.downloadDirectory(bucket, path, argv.destination, bulk);
    progress?.clear();
    endBulk(report, io, level, argv.dryrun);
  });
}

/** The summary of a bulk copy; any failed file makes the command fail (exit 1). */
function endBulk(
  report: DirectoryTransferReport,
  io: CliIo,
  level: OutputLevel,
  dryRun: boolean,
): void {
  const skipped = report.skipped > 0 ? `, ${report.skipped} skipped` : '';
  const summary = `${report.done} done, ${report.failed} failed${skipped}`;
  if (report.failed > 0) throw new BulkCopyFailed(summary);
  // A dry run's lines are the answer; "0 done" would only confuse.
  if (level.summary && !dryRun) io.stderr.write(`deltaglider: ${summary}\n`);
}

class BulkCopyFailed extends Error {
  override readonly name = 'BulkCopyFailed';
}
