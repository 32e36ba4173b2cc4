import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { BodySource } from '@deltaglider/core';

/**
 * A local file's bytes as a `BodySource`, read anew (by range) each time: uploads, spooled
 * deltas and cached references all stream from disk this way. Codecs that seek (the VCDIFF
 * decoder reading its reference) use `readInto`: positioned reads straight into their buffer.
 */
export function fileSource(path: string, size: number): BodySource {
  return {
    size,
    localPath: path,
    async *read(range) {
      const start = range?.start ?? 0;
      const end = range?.end ?? size;
      if (end <= start) return;
      yield* createReadStream(path, { start, end: end - 1 }) as AsyncIterable<Uint8Array>;
    },
    async readInto(into, at, range, signal) {
      const length = range.end - range.start;
      const file = await open(path, 'r');
      try {
        for (let done = 0; done < length; ) {
          signal?.throwIfAborted();
          const { bytesRead } = await file.read(into, at + done, length - done, range.start + done);
          if (bytesRead === 0) throw new Error(`${path} ended before its stated size`);
          done += bytesRead;
        }
      } finally {
        await file.close();
      }
    },
  };
}
