import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { UploadResult } from '@deltaglider/sdk';
import type { Argv } from 'yargs';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { formatBytes } from '../output/format-bytes.js';
import { isS3Url, parseS3Location } from '../s3-target.js';
import { UsageError } from '../usage-error.js';
import type { CliCommand } from './cli-command.js';

export interface CpArguments extends EndpointArguments {
  readonly source: string;
  readonly destination: string;
  readonly recursive: boolean;
  readonly 'max-ratio': number;
}

export const cpCommand: CliCommand<CpArguments> = {
  command: 'cp <source> <destination>',
  describe: 'Upload with delta compression, or download with reconstruction and SHA-256 check',
  builder: (yargs) =>
    yargs
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
        describe: 'Copy a whole directory or prefix',
      })
      .option('max-ratio', {
        type: 'number',
        default: 0.5,
        describe:
          'Keep a delta only up to this fraction of the file; larger ones are stored direct',
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
  if (!(maxRatio >= 0 && maxRatio <= 1))
    throw new UsageError('--max-ratio must be a number from 0 to 1');
  const upload = !isS3Url(argv.source) && isS3Url(argv.destination);
  const download = isS3Url(argv.source) && !isS3Url(argv.destination);
  if (!upload && !download)
    throw new UsageError(
      'one of source and destination must be s3://BUCKET/..., the other a local path',
    );
  const client = buildClient(argv, io);

  if (upload) {
    const { bucket, path } = parseS3Location(argv.destination);
    const isDirectory = (await stat(argv.source)).isDirectory();
    if (isDirectory && !argv.recursive)
      throw new UsageError(`${argv.source} is a directory: use -r to copy it`);
    const results = isDirectory
      ? await client.uploadDirectory(argv.source, bucket, path, { maxRatio })
      : [await client.upload(argv.source, bucket, path, { maxRatio })];
    for (const result of results)
      io.stdout.write(`upload: s3://${bucket}/${result.key}  ${describeUpload(result)}\n`);
    return;
  }

  const { bucket, path } = parseS3Location(argv.source);
  if (!argv.recursive) {
    const result = await client.download(bucket, path, argv.destination);
    io.stdout.write(`download: s3://${bucket}/${result.key} to ${result.path}\n`);
    return;
  }
  const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  for await (const page of client.list(bucket, { prefix, recursive: true })) {
    for (const object of page.objects) {
      const target = join(argv.destination, object.key.slice(prefix.length));
      await mkdir(join(target, '..'), { recursive: true });
      const result = await client.download(bucket, object.key, target);
      io.stdout.write(`download: s3://${bucket}/${result.key} to ${result.path}\n`);
    }
  }
}

function describeUpload(result: UploadResult): string {
  if (result.storedAs === 'reference')
    return `(new reference for its directory, ${formatBytes(result.originalSize)})`;
  if (result.storedAs === 'direct') return `(stored direct, ${formatBytes(result.originalSize)})`;
  const saved = 1 - result.storedSize / result.originalSize;
  return `(delta, ${formatBytes(result.storedSize)} for ${formatBytes(result.originalSize)}, ${(saved * 100).toFixed(1)} % saved)`;
}
