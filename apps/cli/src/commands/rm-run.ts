import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { parseDuration } from '../options/parse-duration.js';
import { filterOf } from '../options/with-filters.js';
import { outputLevelOf } from '../options/with-output-level.js';
import { commandSignal, withDeadline } from '../options/with-timeout.js';
import { parseS3Location } from '../s3-target.js';
import { UsageError } from '../usage-error.js';
import type { RmArguments } from './rm.js';

/** Uploads younger than this are left alone by default: a `cp` may still be sending them. */
const DEFAULT_OLDER_THAN = '1d';

export async function runRm(argv: RmArguments, io: CliIo): Promise<void> {
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
  if (argv['incomplete-uploads']) {
    if (argv.recursive || filter)
      throw new UsageError('--incomplete-uploads cannot go with -r, --exclude or --include');
    const olderThanMs = parseDuration(argv['older-than'] ?? DEFAULT_OLDER_THAN, '--older-than');
    const label = argv.dryrun ? '(dryrun) abort' : 'abort';
    const result = await withDeadline(argv, signal, doing, () =>
      client.abortIncompleteUploads(bucket, {
        ...request,
        prefix: path,
        olderThanMs,
        dryRun: argv.dryrun,
        onUpload: (upload) =>
          say(
            `${label}: s3://${bucket}/${upload.key} (upload ${upload.uploadId}, begun ${upload.initiated.toISOString()})`,
          ),
      }),
    );
    if (!result.listed)
      io.stderr.write('deltaglider: this store has no multipart uploads: nothing to abort\n');
    else if (level.summary)
      io.stderr.write(
        `deltaglider: ${result.aborted.length} ${argv.dryrun ? 'to abort' : 'aborted'}, ${result.kept} younger than ${argv['older-than'] ?? DEFAULT_OLDER_THAN} kept\n`,
      );
    return;
  }
  if (argv['older-than'] !== undefined)
    throw new UsageError('--older-than goes with --incomplete-uploads');
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
