import { formatAge, formatBytes, type ModeCacheStatus, type StatsMode } from '@deltaglider/sdk';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { parseS3Target } from '../s3-target.js';
import { exporterStatistics } from '../serve/exporter-statistics.js';
import { UsageError } from '../usage-error.js';
import type { CacheArguments } from './cache.js';

export async function runCache(argv: CacheArguments, io: CliIo): Promise<void> {
  if (argv.action === 'prune') {
    if (argv.target !== undefined) throw new UsageError('cache prune takes no bucket');
    const { removed, bytes } = await buildClient(argv, io).pruneReferenceCache();
    io.stdout.write(`pruned: ${removed} cached reference(s), ${formatBytes(bytes)}\n`);
    return;
  }
  if (argv.exporter !== undefined) {
    if (argv.action !== 'status' || argv.target !== undefined)
      throw new UsageError('--exporter goes with cache status, without a bucket');
    io.stdout.write(await exporterStatistics(argv.exporter, argv.json, io.signal));
    return;
  }
  if (argv.target === undefined) throw new UsageError(`cache ${argv.action} needs a BUCKET`);
  const { bucket, prefix } = parseS3Target(argv.target);
  const client = buildClient(argv, io);
  if (argv.action === 'clear') {
    if (argv.json) throw new UsageError('--json goes with cache status');
    const { deleted, kept } = await client.clearCache(bucket, {
      prefix,
      mode: argv.mode as StatsMode | undefined,
    });
    for (const key of deleted) io.stdout.write(`delete: s3://${bucket}/${key}\n`);
    for (const foreign of kept)
      io.stdout.write(`kept: s3://${bucket}/${foreign.key} (${foreign.writer}'s cache)\n`);
    if (deleted.length === 0) io.stdout.write('no cache to clear\n');
    return;
  }
  if (argv.mode !== undefined) throw new UsageError('--mode goes with cache clear');
  const statuses = await client.cacheStatus(bucket, { prefix });
  io.stdout.write(
    argv.json
      ? formatStatusJson(statuses)
      : formatStatusTable(`s3://${bucket}/${prefix}`, statuses),
  );
}

function formatStatusTable(target: string, statuses: readonly ModeCacheStatus[]): string {
  const lines = statuses.map((status) => {
    const facts = [
      status.computedAt === undefined
        ? undefined
        : `computed ${formatAge(status.ageSeconds ?? 0)} (${status.computedAt})`,
      status.sizeBytes === undefined ? undefined : formatBytes(status.sizeBytes),
      status.reason,
      status.foreign === undefined
        ? undefined
        : `beside ${status.foreign.writer}'s cache at ${status.foreign.key}`,
    ].filter(Boolean);
    return `  ${status.mode.padEnd(9)} ${status.state.padEnd(10)} ${facts.join(', ')}`.trimEnd();
  });
  return `${target}  stats caches\n${lines.join('\n')}\n`;
}

function formatStatusJson(statuses: readonly ModeCacheStatus[]): string {
  const wire = statuses.map((status) => ({
    mode: status.mode,
    key: status.key,
    state: status.state,
    reason: status.reason ?? null,
    computed_at: status.computedAt ?? null,
    age_seconds: status.ageSeconds ?? null,
    size_bytes: status.sizeBytes ?? null,
    foreign: status.foreign ?? null,
  }));
  return `${JSON.stringify(wire, null, 2)}\n`;
}
