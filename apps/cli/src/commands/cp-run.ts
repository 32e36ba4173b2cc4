import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  type DirectoryTransferReport,
  resolveDownloadPath,
  type TransferEvent,
  uploadKeyFor,
} from '@deltaglider/sdk';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { checkNumberFlag } from '../options/check-number-flag.js';
import { filterOf } from '../options/with-filters.js';
import { type OutputLevel, outputLevelOf } from '../options/with-output-level.js';
import { commandSignal, withDeadline } from '../options/with-timeout.js';
import { describeDryRun, describeUpload, printTransferEvent } from '../output/transfer-printer.js';
import { TransferProgress } from '../output/transfer-progress.js';
import { isS3Url, parseS3Location } from '../s3-target.js';
import { UsageError } from '../usage-error.js';
import { type CpArguments, STANDARD_STREAM } from './cp.js';
import { downloadToStandardOutput, uploadStandardInput } from './cp-pipes.js';

export async function runCp(argv: CpArguments, io: CliIo): Promise<void> {
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
