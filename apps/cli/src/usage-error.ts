// A registry-wide symbol: the command line's parser and the commands are separate bundles
// (tsup.config.ts), each with its own copy of this class.
const usageErrorMarker = Symbol.for('@deltaglider/cli/UsageError');

/** The command line itself is wrong: exit 2, as POSIX tools and `aws` do. */
export class UsageError extends Error {
  readonly [usageErrorMarker] = true;

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }

  static isInstance(error: unknown): error is UsageError {
    return typeof error === 'object' && error !== null && usageErrorMarker in error;
  }
}
