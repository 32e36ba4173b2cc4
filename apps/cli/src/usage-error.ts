/** The command line itself is wrong: exit 2, as POSIX tools and `aws` do. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
