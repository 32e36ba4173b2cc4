import { ObjectStoreError, type ObjectStoreErrorOptions } from './object-store-error.js';

export interface AccessDeniedOptions extends ObjectStoreErrorOptions {
  /** The store's request that was refused, as S3 names it (`PutObject`). */
  readonly operation?: string | undefined;
  /** The store's own code for the refusal (`AccessDenied`, `InvalidAccessKeyId`, ...). */
  readonly serviceCode?: string | undefined;
}

/** What to do about a refusal that is about the credentials, not about the object. */
const credentialProblems: Readonly<Record<string, string>> = {
  InvalidAccessKeyId: 'the access key is not known to the server',
  SignatureDoesNotMatch: 'check the secret key',
  ExpiredToken: 'the session token has expired: sign in again',
  InvalidToken: 'the session token is not valid: sign in again',
};

export class AccessDeniedError extends ObjectStoreError {
  readonly bucket: string;
  readonly key: string | undefined;
  readonly operation: string | undefined;
  readonly serviceCode: string | undefined;

  /**
   * `access denied (PutObject s3://b/k): AccessDenied`; a credentials problem leads with its
   * code and what to check: `InvalidAccessKeyId: the access key is not known to the server
   * (ListObjectsV2 bucket "b")`.
   */
  constructor(bucket: string, key: string | undefined, options: AccessDeniedOptions = {}) {
    const target = key === undefined ? `bucket "${bucket}"` : `s3://${bucket}/${key}`;
    const request = [options.operation, target].filter(Boolean).join(' ');
    const code = options.serviceCode;
    const advice = code === undefined ? undefined : credentialProblems[code];
    super(
      'ACCESS_DENIED',
      advice
        ? `${code}: ${advice} (${request})`
        : `access denied (${request})${code ? `: ${code}` : ''}`,
      options,
    );
    this.name = 'AccessDeniedError';
    this.bucket = bucket;
    this.key = key;
    this.operation = options.operation;
    this.serviceCode = code;
  }

  static override isInstance(error: unknown): error is AccessDeniedError {
    return ObjectStoreError.isInstance(error) && error.code === 'ACCESS_DENIED';
  }
}
