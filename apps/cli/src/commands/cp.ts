import { stat } from 'node:fs/promises';
import {
  DEFAULT_TRANSFER_CONCURRENCY,
  type DirectoryTransferReport,
  formatBytes,
  type TransferEvent,
  type UploadResult,
} from '@deltaglider/sdk';
import type { Argv } from 'yargs';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { describeFailure } from '../exit-codes.js';
import { checkNumberFlag } from '../options/check-number-flag.js';
import type { EndpointArguments } from '../options/with-endpoint.js';
import {
  commandSignal,
  type TimeoutArguments,
  withDeadline,
  withTimeout,
} from '../options/with-timeout.js';
import { TransferProgress } from '../output/transfer-progress.js';
import { isS3Url, parseS3Location } from '../s3-target.js';
import { UsageError } from '../usage-error.js';
import type { CliCommand } from './cli-command.js';

export interface CpArguments extends EndpointArguments, TimeoutArguments {
  readonly source: string;
  readonly destination: string;
  readonly recursive: boolean;
  readonly 'max-ratio': number;
  readonly 'follow-symlinks': boolean;
  readonly concurrency?: number | undefined;
}

export const cpCommand: CliCommand<CpArguments> = {
  command: 'cp <source> <destination>',
  describe: 'Upload with delta compression, or download with reconstruction and SHA-256 check',
  builder: (yargs) =>
    withTimeout(yargs)
      .positional('source', {
        type: 'string',
        demandOption: true,
        describe: 'A local path or s3://BUCKET/KEY',
      })
      .positional('destination', {
        type: 'string',
        demandOption: true,
        describe: 's3://BUCKET/[DIR/][NAME] or a local path',
      })
      .option('recursive', {
        alias: 'r',
        type: 'boolean',
        default: false,
        describe: 'Copy a whole directory or prefix, one line per file as it completes',
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
        '$0 cp s3://releases/app/app-1.0.1.zip .',
        'Download, rebuilt and verified',
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
  const concurrency = checkNumberFlag('concurrency', argv.concurrency, 'count');
  const client = buildClient(argv, io);
  const request = signal.signal ? { signal: signal.signal } : {};
  const progress = new TransferProgress(io);
  const onEvent = (event: TransferEvent) => {
    progress.record(event);
    progress.clear();
    printEvent(event, bucket, io);
    progress.show();
  };
  const bulk = { ...request, onEvent, concurrency };
  let current = '';
  const doing = () => (current === '' ? '' : `while copying ${current}`);

  await withDeadline(argv, signal, doing, async () => {
    if (upload) {
      const isDirectory = (await stat(argv.source)).isDirectory();
      if (isDirectory && !argv.recursive)
        throw new UsageError(`${argv.source} is a directory: use -r to copy it`);
      if (!isDirectory) {
        current = argv.source;
        const result = await client.upload(argv.source, bucket, path, { maxRatio, ...request });
        io.stdout.write(`upload: s3://${bucket}/${result.key}  ${describeUpload(result)}\n`);
        return;
      }
      const report = await client.uploadDirectory(argv.source, bucket, path, {
        maxRatio,
        followSymlinks: argv['follow-symlinks'],
        ...bulk,
      });
      progress.clear();
      endBulk(report, io);
      return;
    }
    if (!argv.recursive) {
      current = argv.source;
      const result = await client.download(bucket, path, argv.destination, request);
      io.stdout.write(`download: s3://${bucket}/${result.key} to ${result.path}\n`);
      return;
    }
    const report = await client.downloadDirectory(bucket, path, argv.destination, bulk);
    progress.clear();
    endBulk(report, io);
  });
}

/** One line per object as it completes: stdout for done, stderr for failed or skipped. */
function printEvent(event: TransferEvent, bucket: string, io: CliIo): void {
  switch (event.type) {
    case 'uploaded':
      io.stdout.write(
        `upload: ${event.path} to s3://${bucket}/${event.result.key}  ${describeUpload(event.result)}\n`,
      );
      return;
    case 'downloaded':
      io.stdout.write(`download: s3://${bucket}/${event.result.key} to ${event.path}\n`);
      return;
    case 'failed': {
      const { message } = describeFailure(event.error);
      const what = event.path ?? `s3://${bucket}/${event.key}`;
      io.stderr.write(`deltaglider: failed: ${what}: ${message.replace(/^error: /, '')}\n`);
      return;
    }
    case 'planned':
      return;
    case 'skipped': {
      const what = event.path ?? `s3://${bucket}/${event.key ?? ''}`;
      io.stderr.write(`deltaglider: warning: skipped ${what}: ${event.reason}\n`);
      return;
    }
  }
}

/** The summary of a bulk copy; any failed file makes the command fail (exit 1). */
function endBulk(report: DirectoryTransferReport, io: CliIo): void {
  const skipped = report.skipped > 0 ? `, ${report.skipped} skipped` : '';
  const summary = `${report.done} done, ${report.failed} failed${skipped}`;
  if (report.failed > 0) throw new BulkCopyFailed(summary);
  io.stderr.write(`deltaglider: ${summary}\n`);
}

class BulkCopyFailed extends Error {
  override readonly name = 'BulkCopyFailed';
}

function describeUpload(result: UploadResult): string {
  if (result.storedAs === 'reference')
    return `(new reference for its directory, ${formatBytes(result.originalSize)})`;
  if (result.storedAs === 'direct') return `(stored direct, ${formatBytes(result.originalSize)})`;
  const saved = 1 - result.storedSize / result.originalSize;
  return `(delta, ${formatBytes(result.storedSize)} for ${formatBytes(result.originalSize)}, ${(saved * 100).toFixed(1)} % saved)`;
}
