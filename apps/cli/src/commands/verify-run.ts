import type { VerifyResult } from '@deltaglider/sdk';
import { buildClient } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { describeFailure, EXIT_RUNTIME_ERROR } from '../exit-codes.js';
import { commandSignal, withDeadline } from '../options/with-timeout.js';
import { parseS3Location } from '../s3-target.js';
import { UsageError } from '../usage-error.js';
import type { VerifyArguments } from './verify.js';

/** Raised after printing the result, so the exit code says "does not match" (1). */
class VerificationFailed extends Error {}

export async function runVerify(argv: VerifyArguments, io: CliIo): Promise<void> {
  const { bucket, path } = parseS3Location(argv.target);
  if (path === '' || path.endsWith('/')) throw new UsageError(`${argv.target} names no file`);
  const signal = commandSignal(argv, io);
  const client = buildClient(argv, io);
  const print = (fields: Record<string, unknown>) =>
    io.stdout.write(`${JSON.stringify({ bucket, ...fields }, null, 2)}\n`);
  let result: VerifyResult;
  try {
    result = await withDeadline(
      argv,
      signal,
      () => `while verifying ${argv.target}`,
      () => client.verify(bucket, path, { signal: signal.signal }),
    );
  } catch (error) {
    // Whatever went wrong, a script reading stdout still gets an answer: not valid, and why.
    const failure = describeFailure(error);
    if (failure.exitCode === EXIT_RUNTIME_ERROR && !io.signal?.aborted) {
      print({
        key: path.replace(/\.delta$/, ''),
        stored_key: null,
        expected_sha256: null,
        actual_sha256: null,
        valid: false,
        reason: failure.message.replace(/^error: /, ''),
      });
    }
    throw error;
  }
  const reason = result.valid
    ? undefined
    : result.expectedSha256 === undefined
      ? `${argv.target} has no SHA-256 in its metadata to check against`
      : `${argv.target} does not match its SHA-256`;
  print({
    key: result.key,
    stored_key: result.storedKey,
    expected_sha256: result.expectedSha256 ?? null,
    actual_sha256: result.actualSha256,
    valid: result.valid,
    ...(reason === undefined ? {} : { reason }),
  });
  if (reason !== undefined) throw new VerificationFailed(reason);
}
