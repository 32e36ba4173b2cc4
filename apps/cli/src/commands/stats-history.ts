import { formatBytes, formatCount, snakeCaseKeys } from '@deltaglider/sdk';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { commandSignal, withDeadline } from '../options/with-timeout.js';
import { parseS3Target } from '../s3-target.js';
import { UsageError } from '../usage-error.js';
import type { StatsArguments } from './stats.js';

/** `stats BUCKET --history`: the daily series and this month's average, nothing computed. */
export async function printStatsHistory(argv: StatsArguments, io: CliIo): Promise<void> {
  const { bucket, prefix } = parseS3Target(argv.target);
  if (prefix !== '') throw new UsageError('--history is kept for whole buckets: give BUCKET only');
  if (argv.inventory !== undefined || argv.watch !== undefined)
    throw new UsageError('--history cannot go with --inventory or --watch');
  if (argv.format === 'prometheus')
    throw new UsageError('--history prints human or JSON (the exporter exports the average)');
  const signal = commandSignal(argv, io);
  const history = await withDeadline(
    argv,
    signal,
    () => 'while reading the history',
    () => buildClient(argv, io).getStatsHistory(bucket, { signal: signal.signal }),
  );
  if (argv.json || argv.format === 'json') {
    io.stdout.write(`${JSON.stringify(snakeCaseKeys(history), null, 2)}\n`);
    return;
  }
  const lines = [
    `s3://${bucket}/  daily history (${history.location}, ${history.points.length} day(s))`,
  ];
  if (history.points.length === 0)
    lines.push('  none yet: each computed `deltaglider stats` of the whole bucket adds its day');
  else {
    const row = (cells: string[]) =>
      `  ${cells[0]!.padEnd(10)}${cells
        .slice(1)
        .map((cell) => cell.padStart(12))
        .join('')}`;
    lines.push(row(['Date', 'Stored', 'Original', 'Billed', 'Objects']));
    for (const point of history.points)
      lines.push(
        row([
          point.date,
          formatBytes(point.stored),
          formatBytes(point.original),
          formatBytes(point.billed),
          formatCount(point.objects),
        ]),
      );
  }
  const average = history.monthlyAverage;
  if (average)
    lines.push(
      '',
      `  ${average.month}: ${formatBytes(average.storedBytes)} stored a day on average over ${average.days} day(s) (${formatCount(average.storedBytes)} bytes; billed ${formatBytes(average.billedBytes)}): what the month is billed by`,
    );
  io.stdout.write(`${lines.join('\n')}\n`);
}
