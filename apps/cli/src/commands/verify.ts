import type { Argv } from 'yargs';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { parseS3Location } from '../s3-target.js';
import { UsageError } from '../usage-error.js';
import type { CliCommand } from './cli-command.js';

export interface VerifyArguments extends EndpointArguments {
  readonly target: string;
}

/** Raised after printing the result, so the exit code says "does not match" (1). */
class VerificationFailed extends Error {}

export const verifyCommand: CliCommand<VerifyArguments> = {
  command: 'verify <target>',
  describe:
    'Rebuild a file and check its SHA-256 against its metadata (JSON result; exit 1 on mismatch)',
  builder: (yargs) =>
    yargs
      .positional('target', {
        type: 'string',
        demandOption: true,
        describe: 's3://BUCKET/KEY (x.zip or x.zip.delta)',
      })
      .example(
        '$0 verify s3://releases/app/app-1.0.1.zip',
        'Prints {"valid": true, ...}',
      ) as Argv<VerifyArguments>,
  run: runVerify,
};

async function runVerify(argv: VerifyArguments, io: CliIo): Promise<void> {
  const { bucket, path } = parseS3Location(argv.target);
  if (path === '' || path.endsWith('/')) throw new UsageError(`${argv.target} names no file`);
  const result = await buildClient(argv, io).verify(bucket, path);
  io.stdout.write(
    `${JSON.stringify(
      {
        bucket: result.bucket,
        key: result.key,
        stored_key: result.storedKey,
        expected_sha256: result.expectedSha256 ?? null,
        actual_sha256: result.actualSha256,
        valid: result.valid,
      },
      null,
      2,
    )}\n`,
  );
  if (!result.valid) {
    throw new VerificationFailed(
      result.expectedSha256 === undefined
        ? `${argv.target} has no SHA-256 in its metadata to check against`
        : `${argv.target} does not match its SHA-256`,
    );
  }
}
