/**
 * Whether an error means "the caller aborted": a `DOMException` or `Error` named `AbortError`,
 * as `AbortSignal`, fetch, the AWS SDK and Node's own APIs raise it. Checked by name, not by
 * class, because each of those has its own class.
 */
export function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    (error as { name: unknown }).name === 'AbortError'
  );
}
