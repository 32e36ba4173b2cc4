import type { BodySource, ByteRange, PutBody } from '../ports/object-store.js';
import { readBody } from './read-body.js';

/** Bytes in memory as a `BodySource`. */
export function bytesSource(bytes: Uint8Array): BodySource {
  return {
    size: bytes.byteLength,
    async *read(range?: ByteRange) {
      yield range ? bytes.subarray(range.start, range.end) : bytes;
    },
    // Seekable, as a local file is: the delta decoder reads long copies straight from it.
    async readInto(into: Uint8Array, at: number, range: ByteRange) {
      into.set(bytes.subarray(range.start, range.end), at);
    },
  };
}

/** A put body as a source, whichever form it came in. */
export function asBodySource(body: PutBody): BodySource {
  return body instanceof Uint8Array ? bytesSource(body) : body;
}

/** How many bytes a put body holds. */
export function putBodySize(body: PutBody): number {
  return body instanceof Uint8Array ? body.byteLength : body.size;
}

/**
 * A put body's bytes in one buffer, for stores that keep objects in memory anyway. Checks the
 * source delivered exactly the size it declared.
 */
export async function readPutBody(body: PutBody): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const bytes = await readBody(body.read());
  if (bytes.byteLength !== body.size)
    throw new Error(`body source declared ${body.size} bytes but delivered ${bytes.byteLength}`);
  return bytes;
}
