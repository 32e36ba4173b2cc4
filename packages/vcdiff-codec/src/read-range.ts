import type { ByteSource } from './byte-source.js';
import { CodecError } from './codec-error.js';

/**
 * Reads `source` bytes `start`..`end` into `into` at `at`: straight into the buffer when the
 * source can seek (a local file: no stream, no intermediate chunks), else from its stream.
 */
export async function readRangeInto(
  source: ByteSource,
  into: Uint8Array,
  at: number,
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<void> {
  if (end > source.size) throw new CodecError('the delta reads past the end of its reference');
  if (source.readInto) {
    try {
      await source.readInto(into, at, { start, end }, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new CodecError(`a source could not be read: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return;
  }
  let offset = at;
  for await (const chunk of source.read({ start, end })) {
    signal?.throwIfAborted();
    if (offset + chunk.length > at + (end - start))
      throw new CodecError('a source read back more bytes than asked');
    into.set(chunk, offset);
    offset += chunk.length;
  }
  if (offset !== at + (end - start)) throw new CodecError('a source ended before its stated size');
}
