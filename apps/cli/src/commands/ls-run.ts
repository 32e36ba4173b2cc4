import type { UserObject } from '@deltaglider/sdk';
import { formatBytes } from '@deltaglider/sdk';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { filterOf } from '../options/with-filters.js';
import { commandSignal, withDeadline } from '../options/with-timeout.js';
import { parseS3Location } from '../s3-target.js';
import type { LsArguments } from './ls.js';

/** After a delta whose directory lost its reference.bin: listed, but it cannot be downloaded. */
const UNRECOVERABLE_MARK = '  (unrecoverable: no reference.bin in its directory)';

/**
 * Sizes shown are bytes stored: a delta's own size, as the bill counts it; `--summarize`'s total
 * includes the references and internal objects the listing hides.
 */
export async function runLs(argv: LsArguments, io: CliIo): Promise<void> {
  if (argv.target === undefined) return listBuckets(argv, io);
  const { bucket, path: prefix } = parseS3Location(argv.target);
  const signal = commandSignal(argv, io);
  const client = buildClient(argv, io);
  // Filters match the path below the prefix named, as `aws s3` matches below the source.
  const filter = filterOf(argv);
  const chosen = (object: UserObject) => filter?.(object.key.slice(prefix.length)) ?? true;
  // One level lists relative to the last `/` of the prefix, as `aws s3 ls` does.
  const shownFrom = argv.recursive ? 0 : prefix.lastIndexOf('/') + 1;
  const size = (bytes: number) =>
    (argv['human-readable'] ? formatBytes(bytes) : String(bytes)).padStart(10);
  let count = 0;
  let listed = 0;
  let directories = 0;
  let total = 0;
  const hidden = { objects: 0, bytes: 0 };
  const pages = client.list(bucket, {
    prefix,
    recursive: argv.recursive,
    checkReferences: true,
    signal: signal.signal,
  });
  await withDeadline(
    argv,
    signal,
    () => `after ${count} objects listed`,
    async () => {
      for await (const page of pages) {
        listed += page.objects.length;
        const objects = page.objects.filter(chosen);
        const lines = page.directories.map(
          (directory) => `${' '.repeat(26)} PRE ${directory.slice(shownFrom)}`,
        );
        lines.push(
          ...objects.map(
            (object) =>
              `${timestamp(object.lastModified)} ${size(object.size)} ${object.key.slice(shownFrom)}${object.unrecoverable ? UNRECOVERABLE_MARK : ''}`,
          ),
        );
        if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
        count += objects.length;
        directories += page.directories.length;
        total += objects.reduce((sum, object) => sum + object.size, 0);
        hidden.objects += page.hidden.objects;
        hidden.bytes += page.hidden.bytes;
      }
    },
  );
  // As `aws s3 ls`: a prefix that matches nothing is an error (exit 1); an empty bucket is not.
  if (listed === 0 && directories === 0 && prefix !== '')
    throw new Error(`nothing under s3://${bucket}/${prefix}`);
  if (argv.summarize) io.stdout.write(summary(count, total, hidden, argv['human-readable']));
}

/**
 * As `aws s3 ls --summarize` (plain numbers, units only with -h), with the bill's size: the
 * total counts the references and internal objects the listing hides, and a last line says
 * how it splits.
 */
function summary(
  files: number,
  fileBytes: number,
  hidden: { objects: number; bytes: number },
  human: boolean,
): string {
  const bytes = (value: number) => (human ? formatBytes(value) : String(value));
  const lines = [`\nTotal Objects: ${files}`, `   Total Size: ${bytes(fileBytes + hidden.bytes)}`];
  if (hidden.objects > 0)
    lines.push(
      `    Of which: ${bytes(fileBytes)} in the ${files} files listed, ${bytes(hidden.bytes)} in ${hidden.objects} reference.bin and internal objects (hidden)`,
    );
  return `${lines.join('\n')}\n`;
}

/** `ls` with no target: `2026-01-05 10:00:00 releases`, a line per bucket, as `aws s3 ls`. */
async function listBuckets(argv: LsArguments, io: CliIo): Promise<void> {
  const signal = commandSignal(argv, io);
  const client = buildClient(argv, io);
  const buckets = await withDeadline(
    argv,
    signal,
    () => 'while listing the buckets',
    () => client.listBuckets({ signal: signal.signal }),
  );
  const lines = buckets.map(
    ({ name, createdAt }) => `${createdAt ? timestamp(createdAt) : ' '.repeat(19)} ${name}`,
  );
  if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
}

/** `2026-12-04 09:30:00` in local time, as `aws s3 ls` prints it. */
function timestamp(at: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}
