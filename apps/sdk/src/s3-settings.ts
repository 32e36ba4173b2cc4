import type {
  MultipartOptions,
  S3ClientSettings,
  ServerSideEncryption,
  UploadJournal,
} from '@deltaglider/s3-adapter';

/**
 * Settings only an S3 endpoint uses (`createClient({ s3: { region, profile } })`): the S3
 * adapter's client settings but the endpoint (which the client's `endpoint` names), plus
 * server-side encryption for every PUT and the multipart sizes. `maxSockets` defaults to the
 * client's stats concurrency plus 4.
 */
export interface S3Settings extends Omit<S3ClientSettings, 'endpoint'> {
  /** Server-side encryption for every PUT, as a bucket policy may require. */
  readonly serverSideEncryption?: ServerSideEncryption | undefined;
  /**
   * Streamed uploads of at least `threshold` bytes (default 64 MiB) go up in parts of
   * `partSize` (default 8 MiB), `concurrency` (default 4) at a time.
   */
  readonly multipart?: MultipartOptions | undefined;
  /** Told of each multipart upload until it ends (the client keeps one under its cache directory). */
  readonly uploadJournal?: UploadJournal | undefined;
}
