import { createReadStream } from 'node:fs';
import type { BodySource } from '../ports/object-store.js';

/**
 * A local file's bytes as a `BodySource`, read anew (by range) each time: uploads, spooled
 * deltas and cached references all stream from disk this way.
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
  };
}
