import {
  type ClientOptions,
  createClient,
  type DeltaGliderClient,
  type S3Settings,
} from '@deltaglider/sdk';
import type { CliIo } from './cli-io.js';
import { checkNumberFlag } from './options/check-number-flag.js';
import { type EndpointArguments, resolveEndpoint } from './options/with-endpoint.js';
import {
  resolveCodecLevel,
  resolveCodecName,
  resolveTransferSettings,
  type TransferSettingsArguments,
} from './options/with-transfer-settings.js';
import { createStderrLogger, parseLogLevel, type StderrLoggerOptions } from './stderr-logger.js';
import { UsageError } from './usage-error.js';

/** The SDK client the global flags and environment describe, logging to stderr. */
export function buildClient(
  argv: EndpointArguments & TransferSettingsArguments,
  io: CliIo,
  extra: { concurrency?: number } = {},
): DeltaGliderClient {
  return createClient({ ...clientOptionsFrom(argv, io, extra), logger: stderrLoggerFor(io) });
}

/** What `DG_LOG_LEVEL` asks for, on stderr. */
export function stderrLoggerFor(io: CliIo, options: StderrLoggerOptions = {}) {
  return createStderrLogger(io, parseLogLevel(io.env.DG_LOG_LEVEL), options);
}

/**
 * The client options the global flags and environment describe, checked (usage errors here)
 * and warned about once; plain data, so a worker thread can build the same client.
 */
export function clientOptionsFrom(
  argv: EndpointArguments & TransferSettingsArguments,
  io: CliIo,
  extra: { concurrency?: number } = {},
): ClientOptions {
  const endpoint = resolveEndpoint(argv['endpoint-url'], io.env);
  if (argv['sse-kms-key-id'] !== undefined && argv.sse !== 'aws:kms')
    throw new UsageError('--sse-kms-key-id goes with --sse aws:kms');
  if (argv['verify-ssl'] === false) {
    io.stderr.write(
      'deltaglider: warning: --no-verify-ssl: TLS certificates are NOT checked; anyone on the network path can read and change what is sent and received\n',
    );
  }
  const connectTimeout = secondsOption(argv, 'cli-connect-timeout');
  const readTimeout = secondsOption(argv, 'cli-read-timeout');
  const transfer = resolveTransferSettings(argv);
  const codecName = resolveCodecName(argv.codec, io.env);
  const codecLevel = resolveCodecLevel(argv['codec-level'], io.env);
  const s3: S3Settings = {
    region: argv.region,
    profile: argv.profile,
    connectTimeoutMs: connectTimeout === undefined ? undefined : connectTimeout * 1000,
    readTimeoutMs: readTimeout === undefined ? undefined : readTimeout * 1000,
    caBundle: argv['ca-bundle'],
    verifySsl: argv['verify-ssl'],
    signRequests: argv['sign-request'],
    requestPayer: argv['request-payer'] === 'requester' ? 'requester' : undefined,
    serverSideEncryption:
      argv.sse === 'AES256' || argv.sse === 'aws:kms'
        ? { algorithm: argv.sse, kmsKeyId: argv['sse-kms-key-id'] }
        : undefined,
  };
  return {
    ...transfer,
    s3: { ...s3, multipart: transfer.multipart },
    codecName,
    codecLevel,
    listingFacts: argv['listing-facts'],
    adoptDirectories: argv['adopt-directory'],
    endpoint,
    conditionalPut: argv['conditional-put'],
    concurrency: extra.concurrency,
  };
}

function secondsOption(
  argv: EndpointArguments,
  name: 'cli-connect-timeout' | 'cli-read-timeout',
): number | undefined {
  return checkNumberFlag(name, argv[name], 'non-negative');
}
