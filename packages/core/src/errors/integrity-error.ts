import { DeltaGliderError } from './deltaglider-error.js';

/** Rebuilt or fetched bytes do not hash to what the metadata promises. Nothing was written. */
export class IntegrityError extends DeltaGliderError {
  readonly key: string;
  readonly expectedSha256: string;
  readonly actualSha256: string;

  constructor(key: string, what: string, expectedSha256: string, actualSha256: string) {
    super(
      'INTEGRITY_MISMATCH',
      `${what} of ${key} has SHA-256 ${actualSha256}, expected ${expectedSha256}`,
    );
    this.name = 'IntegrityError';
    this.key = key;
    this.expectedSha256 = expectedSha256;
    this.actualSha256 = actualSha256;
  }

  static override isInstance(error: unknown): error is IntegrityError {
    return DeltaGliderError.isInstance(error) && error.code === 'INTEGRITY_MISMATCH';
  }
}
