import type { DeltaDependencies } from '../delta/delta-dependencies.js';
import { IntegrityError } from '../errors/integrity-error.js';
import { downloadObject } from './download-object.js';

export interface VerifyResult {
  readonly bucket: string;
  readonly key: string;
  readonly storedKey: string;
  readonly expectedSha256: string | undefined;
  readonly actualSha256: string;
  /** True when the rebuilt bytes hash to what the metadata promises. */
  readonly valid: boolean;
}

/** Rebuilds a file as a stream and checks its SHA-256 against its metadata; writes nothing. */
export async function verifyObject(
  dependencies: DeltaDependencies,
  bucket: string,
  key: string,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<VerifyResult> {
  try {
    // The bytes are only hashed: the codec may hand chunks over in memory it used before.
    const result = await downloadObject(dependencies, bucket, key, discard, {
      ...options,
      reuseChunks: true,
    });
    return {
      bucket,
      key: result.key,
      storedKey: result.storedKey,
      expectedSha256: result.expectedSha256,
      actualSha256: result.sha256,
      valid: result.expectedSha256 !== undefined,
    };
  } catch (error) {
    if (!IntegrityError.isInstance(error)) throw error;
    return {
      bucket,
      key: key.replace(/\.delta$/, ''),
      storedKey: error.key,
      expectedSha256: error.expectedSha256,
      actualSha256: error.actualSha256,
      valid: false,
    };
  }
}

async function discard(body: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _chunk of body) {
    // Only the hash matters, and downloadObject computes it as the bytes pass.
  }
}
