import { isValidBucketName } from '@deltaglider/sdk';
import { UsageError } from './usage-error.js';

export interface S3Target {
  readonly bucket: string;
  /** `""` for the whole bucket, else a directory prefix ending in `/`. */
  readonly prefix: string;
}

export interface S3Location {
  readonly bucket: string;
  /** The text after `s3://BUCKET/`, as typed: a key, a prefix, or `""`. */
  readonly path: string;
}

/** Whether an argument names S3 (`s3://...`) rather than a local path. */
export function isS3Url(text: string): boolean {
  return text.toLowerCase().startsWith('s3://');
}

/** Reads `s3://BUCKET[/PATH]` exactly as typed. */
export function parseS3Location(text: string): S3Location {
  if (!isS3Url(text))
    throw new UsageError(`${JSON.stringify(text)} is not an S3 URL: use s3://BUCKET[/KEY]`);
  const rest = text.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  checkBucketName(text, bucket);
  return { bucket, path: slash === -1 ? '' : rest.slice(slash + 1) };
}

/** Reads `BUCKET`, `s3://BUCKET`, `s3://BUCKET/` or `s3://BUCKET/some/prefix/` as a directory. */
export function parseS3Target(text: string): S3Target {
  let bucket: string;
  let prefix = '';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    if (!text.toLowerCase().startsWith('s3://')) {
      throw new UsageError(
        `${JSON.stringify(text)} is not an S3 URL: use BUCKET or s3://BUCKET[/PREFIX]`,
      );
    }
    const rest = text.slice('s3://'.length);
    const slash = rest.indexOf('/');
    bucket = slash === -1 ? rest : rest.slice(0, slash);
    const path = slash === -1 ? '' : rest.slice(slash + 1);
    prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  } else {
    if (text.includes('/')) throw new UsageError(`to name a prefix, use s3://${text}`);
    bucket = text;
  }
  checkBucketName(text, bucket);
  return { bucket, prefix };
}

function checkBucketName(text: string, bucket: string): void {
  if (bucket === '') throw new UsageError(`${JSON.stringify(text)} names no bucket`);
  if (!isValidBucketName(bucket)) {
    throw new UsageError(
      `invalid bucket name ${JSON.stringify(bucket)}: S3 bucket names are 3-63 lower-case letters, digits, dots and hyphens`,
    );
  }
}
