import { type FileHandle, open } from 'node:fs/promises';
import type { BodySource } from '@deltaglider/core';
import { fileChunks } from './file-chunks.js';
import { endedEarly, fillFromFile } from './fill-from-file.js';

/**
 * A local file's bytes as a `BodySource`, read anew (by range) each time: uploads, spooled
 * deltas and cached references all stream from disk this way. Codecs that seek (the VCDIFF
 * decoder reading its reference) use `readInto`: positioned reads straight into their buffer.
 */
export function fileSource(path: string, size: number): BodySource {
  const withFile = sharedHandle(path);
  return {
    size,
    localPath: path,
    async *read(range) {
      const start = range?.start ?? 0;
      const end = range?.end ?? size;
      if (end <= start) return;
      // Opened when the first chunk is asked for: a read never begun holds no file. A file
      // that shrank ends early, as a read stream's did: an upload finds it changed afterwards
      // (its `unchanged` check) and removes what it stored, which a failure midway would skip.
      yield* fileChunks(await open(path, 'r'), path, { start, end });
    },
    readInto(into, at, range, signal) {
      const length = range.end - range.start;
      return withFile(async (file) => {
        if ((await fillFromFile(file, into, at, length, range.start, signal)) < length)
          throw new Error(endedEarly(path));
      });
    },
  };
}

/**
 * Runs reads on one open handle of `path`, opened for the first and closed when the last one
 * in flight ends: a decoder's window asks for hundreds of positioned reads, a few at a time,
 * and an open and a close around each were a tenth of a 92 MB decode (measured). No handle
 * outlives the reads.
 */
function sharedHandle(path: string): <T>(use: (file: FileHandle) => Promise<T>) => Promise<T> {
  let handle: Promise<FileHandle> | undefined;
  let users = 0;
  return async (use) => {
    users++;
    handle ??= open(path, 'r');
    const opened = handle;
    try {
      return await use(await opened);
    } finally {
      if (--users === 0) {
        handle = undefined;
        await opened.then(
          (file) => file.close(),
          () => undefined, // the open failed: its users have that error already
        );
      }
    }
  };
}
