import { formatBytes, type TransferEvent, type UploadResult } from '@deltaglider/sdk';
import type { CliIo } from '../cli-io.js';
import { describeFailure } from '../exit-codes.js';
import type { OutputLevel } from '../options/with-output-level.js';

/**
 * One line per object as it completes, as `aws s3 cp` prints them: stdout for done, stderr
 * for failed or skipped. Failures always print; the rest as the output level allows.
 */
export function printTransferEvent(
  event: TransferEvent,
  bucket: string,
  io: CliIo,
  level: OutputLevel,
): void {
  switch (event.type) {
    case 'uploaded':
      if (level.operations)
        io.stdout.write(
          `upload: ${event.path} to s3://${bucket}/${event.result.key}  ${describeUpload(event.result)}\n`,
        );
      return;
    case 'downloaded':
      if (level.operations)
        io.stdout.write(`download: s3://${bucket}/${event.result.key} to ${event.path}\n`);
      return;
    case 'dryrun':
      if (level.operations) io.stdout.write(`${describeDryRun(event, bucket)}\n`);
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
      if (level.warnings)
        io.stderr.write(`deltaglider: warning: skipped ${what}: ${event.reason}\n`);
      return;
    }
  }
}

/** `(dryrun) upload: a.zip to s3://b/a.zip`, `(dryrun) download: s3://b/a.zip to a.zip` */
export function describeDryRun(
  event: { direction: 'upload' | 'download'; path: string; key: string },
  bucket: string,
): string {
  return event.direction === 'upload'
    ? `(dryrun) upload: ${event.path} to s3://${bucket}/${event.key}`
    : `(dryrun) download: s3://${bucket}/${event.key} to ${event.path}`;
}

export function describeUpload(result: UploadResult): string {
  if (result.storedAs === 'reference')
    return `(new reference for its directory, ${formatBytes(result.originalSize)})`;
  if (result.storedAs === 'direct') return `(stored direct, ${formatBytes(result.originalSize)})`;
  const saved = 1 - result.storedSize / result.originalSize;
  return `(delta, ${formatBytes(result.storedSize)} for ${formatBytes(result.originalSize)}, ${(saved * 100).toFixed(1)} % saved)`;
}
