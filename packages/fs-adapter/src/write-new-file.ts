import { type FileHandle, open } from 'node:fs/promises';

/**
 * Writes `body` into a new file at `path` (refused if one is there), a chunk at a time: the next
 * chunk is asked for while the last one is written, and that write ends before the one after
 * is asked for, so the body may hand chunks over in two buffers by turns (a codec's
 * `reuseChunks`). An abort ends the wait for a chunk at once. What was written stays on a
 * failure: the caller removes it (or writes a temp file, renamed once whole).
 */
export async function writeNewFile(
  path: string,
  body: AsyncIterable<Uint8Array>,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const file = await open(path, 'wx');
  const chunks = body[Symbol.asyncIterator]();
  let writing: Promise<void> = Promise.resolve();
  let ended = false;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const next = await untilAborted(chunks.next(), signal);
      await writing;
      if (next.done) {
        ended = true;
        return;
      }
      writing = writeWhole(file, next.value);
      // Awaited on the next turn; until then its failure is not an unhandled rejection.
      writing.catch(() => undefined);
    }
  } finally {
    // Abandoned midway (a failed write, an abort): the body's own clean-up runs, in the
    // background when it is busy, since a busy generator answers return() only when it yields.
    if (!ended) void chunks.return?.().catch(() => undefined);
    await writing.catch(() => undefined);
    await file.close();
  }
}

async function writeWhole(file: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let written = 0; written < chunk.byteLength; )
    written += (await file.write(chunk, written, chunk.byteLength - written)).bytesWritten;
}

/**
 * `promise`, unless `signal` aborts first: then its reason. Either way `promise` is handled, so
 * its own failure afterwards (a body that stops on the same abort) is no unhandled rejection.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
}
