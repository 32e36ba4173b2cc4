import {
  type CodecName,
  codecNames,
  listingFactsSettings,
  type NumberRule,
  numberProblem,
} from '@deltaglider/sdk';
import type { Argv } from 'yargs';
import { UsageError } from '../usage-error.js';
import { checkNumberFlag } from './check-number-flag.js';
import { parseSize } from './parse-size.js';

export interface TransferSettingsArguments {
  readonly 'multipart-threshold'?: string | undefined;
  readonly 'multipart-chunksize'?: string | undefined;
  readonly 'reference-cache-max'?: string | undefined;
  readonly 'xdelta3-level'?: number | undefined;
  readonly 'codec-level'?: number | undefined;
  readonly codec?: string | undefined;
  readonly 'listing-facts'?: (typeof listingFactsSettings)[number] | undefined;
}

/** Both codecs' levels: 1 (fastest) to 9 (smallest). */
const CODEC_LEVEL_RULE: NumberRule = { min: 1, max: 9, whole: true };

/** S3's own floor for every part but the last. */
const MIN_PART_BYTES = 5 * 1024 * 1024;

/** The global flags for big transfers, named as in the AWS CLI's s3 settings. */
export function withTransferSettings<T>(yargs: Argv<T>): Argv<T & TransferSettingsArguments> {
  return yargs
    .option('multipart-threshold', {
      type: 'string',
      describe: 'Upload files of at least this size in parts, in parallel (default 64MB)',
      global: true,
    })
    .option('multipart-chunksize', {
      type: 'string',
      describe: 'Size of each part of a multipart upload, 5MB or more (default 8MB)',
      global: true,
    })
    .option('codec', {
      type: 'string',
      choices: codecNames,
      describe:
        "Delta codec: xdelta3 (the program), ts (built in, nothing to install) or auto (xdelta3 encodes when installed, else ts; ts also where it beats the program on size and time at the levels set, as against --xdelta3-level 9; ts decodes every delta it reads, xdelta3 the rest); each reads the other's deltas (default auto, or $DG_CODEC)",
      global: true,
    })
    .option('xdelta3-level', {
      type: 'number',
      describe:
        'Level of the xdelta3 program for new deltas, 1 (fastest) to 9 (smallest, what the Python tool uses); any level decodes anywhere; with --codec auto, 9 takes the built-in codec, smaller and faster than it (default 3, or $DG_XDELTA3_LEVEL)',
      global: true,
    })
    .option('codec-level', {
      type: 'number',
      describe:
        'Level of the built-in codec (--codec ts) for new deltas, 1 (fastest) to 9 (smallest); any level decodes anywhere, with xdelta3 too (default 6, or $DG_CODEC_LEVEL)',
      global: true,
    })
    .option('listing-facts', {
      type: 'string',
      choices: listingFactsSettings,
      describe:
        "deltaglider_proxy's listing facts (.dg/facts/): cp writes each delta's entry, cp and rm delete those of what they replace or remove; auto does it where the bucket already holds facts, on always, off never (default auto). stats reads them in every case",
      global: true,
    })
    .option('reference-cache-max', {
      type: 'string',
      describe:
        'Keep at most this much in the local reference cache ($DG_CACHE_DIR/references); least recently used go first (default 2GB)',
      global: true,
    }) as Argv<T & TransferSettingsArguments>;
}

export interface TransferSettings {
  readonly multipart?:
    | { threshold?: number | undefined; partSize?: number | undefined }
    | undefined;
  readonly referenceCacheMaxBytes?: number | undefined;
  readonly xdelta3Level?: number | undefined;
  readonly codecLevel?: number | undefined;
}

/** `--codec`, else `$DG_CODEC` (checked here, so a typo is a usage error), else the SDK's `auto`. */
export function resolveCodecName(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): CodecName | undefined {
  const name = flag ?? (env.DG_CODEC || undefined);
  if (name === undefined) return undefined;
  if (!(codecNames as readonly string[]).includes(name))
    throw new UsageError(`DG_CODEC must be one of ${codecNames.join(', ')}, not "${name}"`);
  return name as CodecName;
}

/** `--codec-level`, else `$DG_CODEC_LEVEL` (checked here, so a typo is a usage error). */
export function resolveCodecLevel(
  flag: number | undefined,
  env: Readonly<Record<string, string | undefined>>,
): number | undefined {
  if (flag !== undefined) {
    checkNumberFlag('codec-level', flag, CODEC_LEVEL_RULE);
    return flag;
  }
  const text = env.DG_CODEC_LEVEL;
  if (!text) return undefined;
  const level = Number(text);
  const problem = numberProblem(level, CODEC_LEVEL_RULE);
  if (problem) throw new UsageError(`DG_CODEC_LEVEL ${problem}, not "${text}"`);
  return level;
}

/** The flags as client options, checked. Sizes: see `parseSize` (64MB = 64 MiB). */
export function resolveTransferSettings(argv: TransferSettingsArguments): TransferSettings {
  const threshold = optionalSize(argv['multipart-threshold'], '--multipart-threshold');
  const partSize = optionalSize(argv['multipart-chunksize'], '--multipart-chunksize');
  const cacheMax = optionalSize(argv['reference-cache-max'], '--reference-cache-max');
  if (partSize !== undefined && partSize < MIN_PART_BYTES)
    throw new UsageError('--multipart-chunksize must be at least 5MB, as S3 requires');
  if (threshold !== undefined && threshold < 1)
    throw new UsageError('--multipart-threshold must be at least 1 byte');
  const level = argv['xdelta3-level'];
  checkNumberFlag('xdelta3-level', level, CODEC_LEVEL_RULE);
  return {
    multipart: { threshold, partSize },
    referenceCacheMaxBytes: cacheMax,
    xdelta3Level: level,
  };
}

function optionalSize(text: string | undefined, flag: string): number | undefined {
  return text === undefined ? undefined : parseSize(text, flag);
}
