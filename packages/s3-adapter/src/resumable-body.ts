import { isAbortError, StoreUnavailableError } from '@deltaglider/core';

/** Re-requests the object from a byte offset; must fail if the object changed meanwhile. */
export type ReopenBody = (offset: number) => Promise<AsyncIterable<Uint8Array>>;

/** How many times a body that broke off midway is resumed before the read fails. */
export const BODY_RESUMES = 4;

/**
 * An object's body that survives a connection reset or an idle timeout midway: it asks again
 * for the bytes not yet received (`Range`, pinned to the same version by `If-Match`) instead of
 * failing, or of hanging on a server that went silent. After `BODY_RESUMES` tries it fails with
 * one error naming the object.
 */
export async function* resumableBody(
  first: AsyncIterable<Uint8Array>,
  reopen: ReopenBody,
  target: { bucket: string; key: string },
): AsyncGenerator<Uint8Array> {
  let body = first;
  let received = 0;
  for (let resumes = 0; ; resumes++) {
    try {
      for await (const chunk of body) {
        received += chunk.byteLength;
        yield chunk;
      }
      return;
    } catch (error) {
      if (isAbortError(error)) throw error;
      if (resumes >= BODY_RESUMES) {
        throw new StoreUnavailableError(
          `reading s3://${target.bucket}/${target.key} failed after ${received} bytes and ${resumes + 1} attempts: ${messageOf(error)}`,
          { cause: error },
        );
      }
      body = await reopen(received);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : String(error);
}
