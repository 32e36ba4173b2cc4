import {
  AccessDeniedError,
  BucketNotFoundError,
  DeltaGliderError,
  InvalidArgumentError,
  InvalidKeyError,
  isAbortError,
  type ObjectStoreError,
  PreconditionFailedError,
  StoreUnavailableError,
  WrongRegionError,
} from '@deltaglider/core';

/** What the failed request was about, so the typed error can name it. */
export interface S3RequestTarget {
  readonly bucket: string;
  readonly key?: string;
}

interface ServiceErrorShape {
  readonly name?: string;
  /** Set by the client's error-naming middleware (see createS3Client). */
  readonly $operation?: string;
  readonly Code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const accessDeniedCodes = new Set([
  'AccessDenied',
  'AllAccessDisabled',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccountProblem',
  'InvalidToken',
  'ExpiredToken',
]);

/** S3's error code and HTTP status of a rejected SDK call, whatever shape the SDK gave it. */
export function describeS3Error(error: unknown): {
  code: string | undefined;
  status: number | undefined;
  operation: string | undefined;
} {
  if (typeof error !== 'object' || error === null)
    return { code: undefined, status: undefined, operation: undefined };
  const shape = error as ServiceErrorShape;
  return {
    code: shape.Code ?? shape.name,
    status: shape.$metadata?.httpStatusCode,
    operation: shape.$operation,
  };
}

/** True for a 404 that means "no such key" (HEAD gives a bare NotFound). */
export function isMissingKey(error: unknown): boolean {
  const { code, status } = describeS3Error(error);
  return code === 'NoSuchKey' || code === 'NotFound' || (status === 404 && code !== 'NoSuchBucket');
}

/**
 * Turns an SDK rejection into one of core's typed errors. Matches S3 error codes and HTTP
 * status only, never message wording. Aborts and errors already typed pass through untouched.
 */
export function mapS3Error(error: unknown, target: S3RequestTarget): unknown {
  if (isAbortError(error) || DeltaGliderError.isInstance(error)) return error;
  const { code, status, operation } = describeS3Error(error);
  const options = { cause: error };
  let mapped: ObjectStoreError;
  if (code === 'NoSuchBucket') {
    mapped = new BucketNotFoundError(target.bucket, options);
  } else if (
    code === 'PermanentRedirect' ||
    code === 'AuthorizationHeaderMalformed' ||
    status === 301
  ) {
    mapped = new WrongRegionError(target.bucket, bucketRegionOf(error), options);
  } else if ((code !== undefined && accessDeniedCodes.has(code)) || status === 403) {
    mapped = new AccessDeniedError(target.bucket, target.key, {
      ...options,
      operation,
      serviceCode: code,
    });
  } else if (
    code === 'PreconditionFailed' ||
    code === 'ConditionalRequestConflict' ||
    status === 412
  ) {
    mapped = new PreconditionFailedError(target.bucket, target.key ?? '', options);
  } else if (code === 'KeyTooLongError') {
    mapped = new InvalidKeyError(target.key ?? '', 'longer than S3 allows (1,024 bytes)', options);
  } else if (code === 'InvalidBucketName' || code === 'InvalidArgument') {
    mapped = new InvalidArgumentError(`S3 refused the request: ${messageOf(error)}`, options);
  } else if (isCertificateError(error)) {
    mapped = new StoreUnavailableError(
      `TLS certificate of the S3 endpoint not accepted (${messageOf(error)}): trust its CA with --ca-bundle FILE or $AWS_CA_BUNDLE (SDK: caBundle)`,
      options,
    );
  } else {
    const where =
      target.key === undefined
        ? `bucket "${target.bucket}"`
        : `s3://${target.bucket}/${target.key}`;
    const detail = [code, status === undefined ? undefined : `HTTP ${status}`]
      .filter(Boolean)
      .join(', ');
    mapped = new StoreUnavailableError(
      `S3 ${operation ?? 'request'} for ${where} failed${detail ? ` (${detail})` : ''}: ${messageOf(error)}`,
      options,
    );
  }
  return mapped;
}

/** Node's codes for a TLS certificate it could not verify. */
const certificateErrorCodes = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function isCertificateError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && certificateErrorCodes.has(code);
}

/** The bucket's region from S3's answer: its header, else the endpoint or region it names. */
function bucketRegionOf(error: unknown): string | undefined {
  const shape = error as {
    $response?: { headers?: Record<string, string | undefined> };
    Endpoint?: unknown;
    Region?: unknown;
  };
  const header = shape.$response?.headers?.['x-amz-bucket-region'];
  if (header) return header;
  if (typeof shape.Region === 'string' && shape.Region) return shape.Region;
  const endpoint = typeof shape.Endpoint === 'string' ? shape.Endpoint : '';
  return /(?:^|\.)s3[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(endpoint)?.[1];
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
}
