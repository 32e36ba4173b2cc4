import type {
  MultipartOptions,
  S3ClientSettings,
  ServerSideEncryption,
} from '@deltaglider/s3-adapter';

/** Settings only an S3 endpoint uses (`createClient({ s3: { region, profile } })`). */
export interface S3Settings {
  /** Default: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's region, else `us-east-1`. */
  readonly region?: string | undefined;
  /** A shared-config profile (`AWS_PROFILE` when omitted). */
  readonly profile?: string | undefined;
  readonly credentials?: S3ClientSettings['credentials'] | undefined;
  /** Open connections. Default: the client's stats concurrency plus 4, else 64. */
  readonly maxSockets?: number | undefined;
  /** Give up connecting after this long; 0 waits forever. Default 10 s. */
  readonly connectTimeoutMs?: number | undefined;
  /** Give up on a request silent this long, also midway through a body; 0 waits forever. Default 60 s. */
  readonly readTimeoutMs?: number | undefined;
  /** A PEM file of CA certificates to trust. Default `$AWS_CA_BUNDLE`. */
  readonly caBundle?: string | undefined;
  /** false skips TLS certificate checks (`--no-verify-ssl`). Default true. */
  readonly verifySsl?: boolean | undefined;
  /**
   * false sends requests unsigned, for public buckets (`--no-sign-request`); stats then read
   * caches but never write them. Default true.
   */
  readonly signRequests?: boolean | undefined;
  /** `requester` to read or write a Requester Pays bucket. */
  readonly requestPayer?: 'requester' | undefined;
  /** Server-side encryption for every PUT, as a bucket policy may require. */
  readonly serverSideEncryption?: ServerSideEncryption | undefined;
  /**
   * Streamed uploads of at least `threshold` bytes (default 64 MiB) go up in parts of
   * `partSize` (default 8 MiB), `concurrency` (default 4) at a time.
   */
  readonly multipart?: MultipartOptions | undefined;
}
