import { ObjectStoreError, type ObjectStoreErrorOptions } from './object-store-error.js';

/** The bucket lives in another region than the one requests were sent to (S3's 301). */
export class WrongRegionError extends ObjectStoreError {
  readonly bucket: string;
  /** The bucket's region, when S3 said it. */
  readonly region: string | undefined;

  constructor(bucket: string, region: string | undefined, options: ObjectStoreErrorOptions = {}) {
    super(
      'WRONG_REGION',
      region === undefined
        ? `bucket "${bucket}" is in another region: pass its region with --region`
        : `bucket "${bucket}" is in another region (${region}): pass --region ${region}`,
      options,
    );
    this.name = 'WrongRegionError';
    this.bucket = bucket;
    this.region = region;
  }

  static override isInstance(error: unknown): error is WrongRegionError {
    return ObjectStoreError.isInstance(error) && error.code === 'WRONG_REGION';
  }
}
