import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { parseDuration } from '../options/parse-duration.js';
import { commandSignal, withDeadline } from '../options/with-timeout.js';
import { parseS3Target } from '../s3-target.js';
import type { GcArguments } from './gc.js';

export async function runGc(argv: GcArguments, io: CliIo): Promise<void> {
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
