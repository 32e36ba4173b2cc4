import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import {
  loadConfig,
  NODE_REGION_CONFIG_FILE_OPTIONS,
  NODE_REGION_CONFIG_OPTIONS,
} from '@smithy/core/config';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface S3ClientSettings {
  /** A custom S3-compatible endpoint (`http://127.0.0.1:9000`). Omit for AWS. */
  readonly endpoint?: string | undefined;
  /**
   * Default: the AWS CLI's chain, as the SDK resolves it (`AWS_REGION`, `AWS_DEFAULT_REGION`,
   * then the profile's `region` in `~/.aws/config`), else `us-east-1` (what S3-compatible
   * servers expect). A request sent to the wrong region is redirected to the bucket's own.
   */
  readonly region?: string | undefined;
  readonly credentials?: S3ClientConfig['credentials'] | undefined;
  /** A shared-config profile (`AWS_PROFILE` is read by the SDK when this is omitted). */
  readonly profile?: string | undefined;
  /** Default: true with a custom endpoint, whose dotted virtual hosts rarely resolve. */
  readonly forcePathStyle?: boolean | undefined;
  /** Open connections kept to the endpoint; size it to the request concurrency. Default 64. */
  readonly maxSockets?: number | undefined;
  /** Attempts per request, throttling included. Default 5. */
  readonly maxAttempts?: number | undefined;
  /** Give up connecting after this long; 0 waits forever. Default 10 s. */
  readonly connectTimeoutMs?: number | undefined;
  /**
   * Give up on a request whose connection has been silent this long (no byte sent or
   * received), also midway through a body; 0 waits forever. Default 60 s, as the AWS CLI.
   */
  readonly readTimeoutMs?: number | undefined;
  /** A PEM file of CA certificates to trust (corporate TLS). Default `$AWS_CA_BUNDLE`. */
  readonly caBundle?: string | undefined;
  /** false: do not verify TLS certificates (`--no-verify-ssl`). Default true. */
  readonly verifySsl?: boolean | undefined;
  /** false: send requests unsigned, for public buckets (`--no-sign-request`). Default true. */
  readonly signRequests?: boolean | undefined;
  /** `requester`: agree to pay for requests to a Requester Pays bucket (sent on every request). */
  readonly requestPayer?: 'requester' | undefined;
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_READ_TIMEOUT_MS = 60_000;

/**
 * An S3 client for AWS and third-party servers alike.
 * - Checksums only "when required": third-party servers otherwise store the SDK's
 *   aws-chunked framing as object data, or reject it.
 * - Adaptive retries, so 503 SlowDown backs off instead of failing the stats call.
 * - A keep-alive pool, because stats issue many small HEADs in parallel.
 * - Connect and idle timeouts, so a silent server fails a request (which is then retried)
 *   instead of hanging it.
 */
export function createS3Client(settings: S3ClientSettings = {}): S3Client {
  const maxSockets = settings.maxSockets ?? 64;
  const agentOptions = { keepAlive: true, maxSockets };
  const caBundle = settings.caBundle ?? (process.env.AWS_CA_BUNDLE || undefined);
  const tlsOptions = {
    ...(caBundle === undefined ? {} : { ca: readFileSync(caBundle) }),
    ...(settings.verifySsl === false ? { rejectUnauthorized: false } : {}),
  };
  const client = new S3Client({
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    region: settings.region ?? regionFromAwsConfig(settings.profile),
    followRegionRedirects: true,
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    ...(settings.signRequests === false ? anonymous : {}),
    ...(settings.profile === undefined ? {} : { profile: settings.profile }),
    forcePathStyle: settings.forcePathStyle ?? settings.endpoint !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    retryMode: 'adaptive',
    // Without a logger the SDK warns on the console when a streamed PUT fails; the adapter
    // retries those itself and its errors say what failed.
    logger: silentSdkLogger,
    maxAttempts: settings.maxAttempts ?? 5,
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent({ ...agentOptions, ...tlsOptions }),
      connectionTimeout: settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      socketTimeout: settings.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
    }),
  });
  // Errors name the request that failed ("access denied (PutObject s3://b/k)"): the SDK's
  // errors do not say which command they came from, so each is marked on its way out.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (typeof error === 'object' && error !== null && context.commandName)
          (error as { $operation?: string }).$operation ??= context.commandName.replace(
            /Command$/,
            '',
          );
        throw error;
      }
    },
    { step: 'initialize', name: 'deltagliderOperationName' },
  );
  if (settings.requestPayer === 'requester') {
    // Every request, listings and cache writes included, as the bucket's owner requires.
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (request.headers) request.headers['x-amz-request-payer'] = 'requester';
        return next(args);
      },
      { step: 'build', name: 'deltagliderRequestPayer' },
    );
  }
  return client;
}

const silentSdkLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Unsigned requests, as `aws s3 --no-sign-request` sends them: no credentials are looked up. */
const anonymous = {
  credentials: { accessKeyId: '', secretAccessKey: '' },
  signer: { sign: async <Request>(request: Request) => request },
} as const;

/** The region the AWS CLI would use (environment, then the profile's config), else us-east-1. */
function regionFromAwsConfig(profile: string | undefined): () => Promise<string> {
  const load = loadConfig(NODE_REGION_CONFIG_OPTIONS, {
    ...NODE_REGION_CONFIG_FILE_OPTIONS,
    ...(profile === undefined ? {} : { profile }),
  });
  return async () => {
    try {
      return (await load()) || DEFAULT_REGION;
    } catch {
      // Nothing names a region: S3-compatible servers and us-east-1 buckets need none.
      return DEFAULT_REGION;
    }
  };
}
