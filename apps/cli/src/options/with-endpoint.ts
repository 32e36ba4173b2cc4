import type { Argv } from 'yargs';

export interface EndpointArguments {
  readonly 'endpoint-url'?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly 'conditional-put'?: boolean | undefined;
  readonly 'cli-connect-timeout'?: number | undefined;
  readonly 'cli-read-timeout'?: number | undefined;
  readonly 'adopt-directory'?: boolean | undefined;
  readonly 'ca-bundle'?: string | undefined;
  readonly 'verify-ssl'?: boolean | undefined;
  readonly 'sign-request'?: boolean | undefined;
  readonly 'request-payer'?: string | undefined;
  readonly sse?: string | undefined;
  readonly 'sse-kms-key-id'?: string | undefined;
}

/**
 * The global flags that choose where buckets live (spelt as for `aws s3`) and what the endpoint
 * enforces.
 */
export function withEndpoint<T>(yargs: Argv<T>): Argv<T & EndpointArguments> {
  return yargs
    .option('endpoint-url', {
      type: 'string',
      describe:
        "S3-compatible endpoint (http://host:port), a local store (file://DIR), or a scheme a store module registers ($DG_STORE_MODULES). Default: $DG_ENDPOINT_URL, else what the AWS config names as the AWS CLI reads it ($AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, the profile's [services] s3 endpoint_url or endpoint_url; $AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores them), else AWS",
      global: true,
    })
    .option('region', {
      type: 'string',
      describe:
        "AWS region (default, as for the AWS CLI: $AWS_REGION, $AWS_DEFAULT_REGION, the profile's region in ~/.aws/config, else us-east-1); a bucket elsewhere is followed to its region",
      global: true,
    })
    .option('profile', {
      type: 'string',
      describe: 'AWS shared-config profile (default: $AWS_PROFILE)',
      global: true,
    })
    .option('conditional-put', {
      type: 'boolean',
      describe:
        'Send If-None-Match/If-Match, so a reference is written once; whether the server enforces them is probed (a first upload is stored whole where it does not). --no-conditional-put for a server that refuses requests carrying them (default: yes)',
      global: true,
    })
    .option('cli-connect-timeout', {
      type: 'number',
      describe: 'Seconds to wait for a connection to S3; 0 waits forever (default 10)',
      global: true,
    })
    .option('cli-read-timeout', {
      type: 'number',
      describe:
        'Seconds a request may stay silent, also midway through a download, before it is retried; 0 waits forever (default 60)',
      global: true,
    })
    .option('ca-bundle', {
      type: 'string',
      describe: 'A PEM file of CA certificates to trust for TLS (default: $AWS_CA_BUNDLE)',
      global: true,
    })
    .option('verify-ssl', {
      type: 'boolean',
      describe: 'Verify TLS certificates; --no-verify-ssl turns it off (insecure, warned about)',
      global: true,
    })
    .option('sign-request', {
      type: 'boolean',
      describe:
        "Sign requests; --no-sign-request reads public buckets without credentials (the bucket's stats caches are read, never written; stats are cached on this machine)",
      global: true,
    })
    .option('request-payer', {
      type: 'string',
      choices: ['requester'],
      describe: 'Agree to pay for requests to a Requester Pays bucket',
      global: true,
    })
    .option('sse', {
      type: 'string',
      choices: ['AES256', 'aws:kms'],
      describe: 'Server-side encryption for every object written, caches included',
      global: true,
    })
    .option('sse-kms-key-id', {
      type: 'string',
      describe: "The KMS key for --sse aws:kms (default: the bucket's AWS-managed key)",
      global: true,
    })
    .option('adopt-directory', {
      type: 'boolean',
      describe:
        'file://: use a bucket directory that holds files the tool did not write (they are ignored); without it such a directory is refused',
      global: true,
    });
}

/** The endpoint the command line names: the flag, then `DG_ENDPOINT_URL`; none: the S3 store decides. */
export function resolveEndpoint(
  argument: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  // The AWS configuration's endpoints (AWS_ENDPOINT_URL_S3, the profile's endpoint_url, ...)
  // are the S3 store's to read: see configuredEndpoint in @deltaglider/s3-adapter.
  const chosen = argument ?? env.DG_ENDPOINT_URL;
  return chosen === '' ? undefined : chosen;
}
