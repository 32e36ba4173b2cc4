import { readFile } from 'node:fs/promises';
import { DEFAULT_PORT, type ExporterTarget } from '@deltaglider/exporter';
import { DEFAULT_STATS_MODE, normalizePrefix, type StatsMode, statsModes } from '@deltaglider/sdk';
import type { Argv } from 'yargs';
import { checkNumberFlag } from '../options/check-number-flag.js';
import { parseS3Target } from '../s3-target.js';
import { UsageError } from '../usage-error.js';

/** A target as the config resolves it: prefix normalised, mode decided. */
type StatsTarget = Required<Omit<ExporterTarget, 'inventory'>> & Pick<ExporterTarget, 'inventory'>;

/** What `deltaglider serve` runs with, from its flags and an optional config file. */
export interface ServeConfig {
  readonly host: string;
  readonly port: number;
  readonly targets: readonly StatsTarget[];
  readonly mode: StatsMode;
  readonly intervalSeconds: number;
  readonly refreshConcurrency: number;
  /** The bearer token scrapes must carry; undefined: none. */
  readonly metricsToken: string | undefined;
}

export interface ServeFlags {
  readonly listen?: string | undefined;
  readonly bucket?: readonly string[] | undefined;
  readonly prefix?: string | undefined;
  readonly mode?: string | undefined;
  readonly interval?: number | undefined;
  readonly 'refresh-concurrency'?: number | undefined;
  readonly config?: string | undefined;
  readonly 'metrics-token'?: string | undefined;
}

/** `deltaglider serve`'s own flags. */
export function withServeFlags<T>(yargs: Argv<T>): Argv<T & ServeFlags> {
  return yargs
    .option('listen', {
      type: 'string',
      describe: `HOST:PORT to listen on (default ${DEFAULT_LISTEN}: this machine only)`,
    })
    .option('bucket', {
      type: 'string',
      array: true,
      describe: 'BUCKET or s3://BUCKET/PREFIX/ to watch; repeat for more',
    })
    .option('prefix', {
      type: 'string',
      describe: 'Directory to watch in each --bucket given without one',
    })
    .option('mode', {
      type: 'string',
      choices: statsModes,
      describe: 'Stats mode of the targets (default quick)',
    })
    .option('interval', {
      type: 'number',
      describe: 'Seconds between background refreshes of a target (default 60)',
    })
    .option('refresh-concurrency', {
      type: 'number',
      describe: 'Targets refreshed at once (default 2)',
    })
    .option('config', {
      type: 'string',
      describe: 'JSON file with listen, interval, mode, refresh_concurrency and targets',
    })
    .option('metrics-token', {
      type: 'string',
      describe:
        'Require "Authorization: Bearer TOKEN" on every path but /healthz (default $DG_METRICS_TOKEN; the variable keeps it out of ps)',
    }) as Argv<T & ServeFlags>;
}

export const DEFAULT_LISTEN = `127.0.0.1:${DEFAULT_PORT}`;

/**
 * The config file (JSON), flags with the same names win over it:
 * `{ "listen": "127.0.0.1:9340", "interval": 60, "mode": "quick", "refresh_concurrency": 2,
 *    "targets": [{ "bucket": "releases", "prefix": "app/", "mode": "detailed" },
 *                { "bucket": "archive", "inventory": "s3://inventories/archive/daily/" }] }`.
 */
export async function resolveServeConfig(
  flags: ServeFlags,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<ServeConfig> {
  const file = flags.config === undefined ? {} : await readConfigFile(flags.config);
  const mode = checkMode(flags.mode ?? stringField(file, 'mode') ?? DEFAULT_STATS_MODE, '--mode');
  const { host, port } = parseListen(flags.listen ?? stringField(file, 'listen') ?? DEFAULT_LISTEN);
  const intervalSeconds = flags.interval ?? numberField(file, 'interval') ?? 60;
  checkNumberFlag('interval', intervalSeconds, { min: 1 });
  const refreshConcurrency =
    flags['refresh-concurrency'] ?? numberField(file, 'refresh_concurrency') ?? 2;
  checkNumberFlag('refresh-concurrency', refreshConcurrency, 'count');
  const fromFlags = (flags.bucket ?? []).map((text) => {
    const { bucket, prefix } = parseS3Target(text);
    return { bucket, prefix: prefix || normalizePrefix(flags.prefix), mode };
  });
  const targets = dedupe([...fileTargets(file, mode), ...fromFlags]);
  if (targets.length === 0)
    throw new UsageError('name at least one bucket to watch: --bucket BUCKET (or a config file)');
  const metricsToken = flags['metrics-token'] ?? (env.DG_METRICS_TOKEN || undefined);
  if (metricsToken !== undefined && metricsToken.trim() === '')
    throw new UsageError('--metrics-token must not be empty');
  return { host, port, targets, mode, intervalSeconds, refreshConcurrency, metricsToken };
}

/** `HOST:PORT` or `[IPv6]:PORT`; port 0 picks a free one. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || port > 65535)
    throw new UsageError(`--listen ${JSON.stringify(text)}: use HOST:PORT, e.g. ${DEFAULT_LISTEN}`);
  return { host: (match[1] ?? match[2])!, port };
}

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--config ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--config ${path}: not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError(`--config ${path}: expected a JSON object`);
  const known = ['listen', 'interval', 'mode', 'refresh_concurrency', 'targets'];
  for (const key of Object.keys(parsed))
    if (!known.includes(key))
      throw new UsageError(
        `--config ${path}: unknown field ${JSON.stringify(key)} (known: ${known.join(', ')})`,
      );
  return parsed as Record<string, unknown>;
}

function fileTargets(file: Record<string, unknown>, mode: StatsMode): StatsTarget[] {
  const list = file.targets;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new UsageError('config: "targets" must be a list');
  return list.map((entry: unknown, index) => {
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof (entry as { bucket?: unknown }).bucket !== 'string'
    )
      throw new UsageError(`config: targets[${index}] needs a "bucket"`);
    const {
      bucket,
      prefix,
      mode: own,
      inventory,
    } = entry as { bucket: string; prefix?: unknown; mode?: unknown; inventory?: unknown };
    parseS3Target(bucket);
    if (prefix !== undefined && typeof prefix !== 'string')
      throw new UsageError(`config: targets[${index}].prefix must be a string`);
    if (inventory === undefined)
      return {
        bucket,
        prefix: normalizePrefix(prefix),
        mode: own === undefined ? mode : checkMode(own, `targets[${index}].mode`),
      };
    if (typeof inventory !== 'string' || !/^(s3|file):/i.test(inventory))
      throw new UsageError(
        `config: targets[${index}].inventory must be s3://BUCKET/PREFIX/ or file://DIR, the folder S3 Inventory writes report folders into`,
      );
    if (own !== undefined && own !== 'quick')
      throw new UsageError(`config: targets[${index}] reads an inventory: its mode is quick`);
    return { bucket, prefix: normalizePrefix(prefix), mode: 'quick', inventory };
  });
}

function checkMode(value: unknown, where: string): StatsMode {
  if (!statsModes.includes(value as StatsMode))
    throw new UsageError(`${where} must be one of ${statsModes.join(', ')}`);
  return value as StatsMode;
}

function stringField(file: Record<string, unknown>, name: string): string | undefined {
  const value = file[name];
  if (value !== undefined && typeof value !== 'string')
    throw new UsageError(`config: "${name}" must be a string`);
  return value;
}

function numberField(file: Record<string, unknown>, name: string): number | undefined {
  const value = file[name];
  if (value !== undefined && typeof value !== 'number')
    throw new UsageError(`config: "${name}" must be a number`);
  return value;
}

function dedupe(targets: StatsTarget[]): StatsTarget[] {
  const seen = new Map(targets.map((target) => [JSON.stringify(target), target]));
  return [...seen.values()];
}
