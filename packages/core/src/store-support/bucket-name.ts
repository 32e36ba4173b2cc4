import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

// S3's rules for new buckets: 3-63 characters of lower-case letters, digits, dots and hyphens,
// starting and ending with a letter or digit, no "..", and not shaped like an IP address.
const bucketNamePattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ipAddressPattern = /^\d{1,3}(\.\d{1,3}){3}$/;

export function isValidBucketName(bucket: string): boolean {
  return bucketNamePattern.test(bucket) && !bucket.includes('..') && !ipAddressPattern.test(bucket);
}

/** Rejects a name S3 would refuse, so every store answers a bad name the same way. */
export function assertValidBucketName(bucket: string): void {
  if (!isValidBucketName(bucket)) {
    throw new InvalidArgumentError(
      `invalid bucket name ${JSON.stringify(bucket)}: use 3-63 lower-case letters, digits, dots and hyphens`,
    );
  }
}
