import { isValidBucketName } from '@deltaglider/sdk';
import { UsageError } from './usage-error.js';

export interface S3Target {
  readonly bucket: string;
  /** `""` for the whole bucket, else a directory prefix ending in `/`. */
  readonly prefix: string;
}

/** Reads `BUCKET`, `s3://BUCKET`, `s3://BUCKET/` or `s3://BUCKET/some/prefix/`. */
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
  if (bucket === '') throw new UsageError(`${JSON.stringify(text)} names no bucket`);
  if (!isValidBucketName(bucket)) {
    throw new UsageError(
      `invalid bucket name ${JSON.stringify(bucket)}: S3 bucket names are 3-63 lower-case letters, digits, dots and hyphens`,
    );
  }
  return { bucket, prefix };
}
