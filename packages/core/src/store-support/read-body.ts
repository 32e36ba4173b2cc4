import { DeltaGliderError } from '../errors/deltaglider-error.js';

/** Thrown by `readBody` when a body is larger than the caller agreed to hold. */
export class BodyTooLargeError extends DeltaGliderError {
  readonly limit: number;

  constructor(limit: number) {
    super('BODY_TOO_LARGE', `object body is larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
    this.limit = limit;
  }

  static override isInstance(error: unknown): error is BodyTooLargeError {
    return DeltaGliderError.isInstance(error) && error.code === 'BODY_TOO_LARGE';
  }
}

/** Collects a body into one buffer, stopping (and releasing the stream) past `maxBytes`. */
export async function readBody(
  body: AsyncIterable<Uint8Array>,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  const whole = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}
