import { open } from 'node:fs/promises';
import type { BodySource } from '@deltaglider/core';
import { CodecError } from '@deltaglider/core';

/**
 * Reads `source` bytes `start`..`end` into `into` at `at`: with positioned reads straight into
 * the buffer when the source is a local file (no stream, no intermediate chunks), else from its
 * stream.
 */
export async function readRangeInto(
  source: BodySource,
  into: Uint8Array,
  at: number,
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<void> {
  if (end > source.size) throw new CodecError('the delta reads past the end of its reference');
  if (source.localPath !== undefined) {
    const file = await open(source.localPath, 'r');
    try {
      for (let done = 0; done < end - start; ) {
        signal?.throwIfAborted();
        const { bytesRead } = await file.read(into, at + done, end - start - done, start + done);
        if (bytesRead === 0) throw new CodecError('a file ended before its stated size');
        done += bytesRead;
      }
    } finally {
      await file.close();
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
