import { randomUUID } from 'node:crypto';
import { type FileHandle, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { BodySource } from '@deltaglider/core';
import { fileSource } from '@deltaglider/fs-adapter';
import { localPathForKey } from './local-path-for-key.js';
import { TEMP_FILE_SUFFIX } from './local-upload-tree.js';
import { isProcessAlive } from './process-temp-directory.js';

/**
 * Writes a stream to a file so it appears whole or not at all: a temp file beside the
 * destination (`.<name>.<pid>-<uuid>.dg-tmp`), renamed once the stream ended without error. A
 * failure, abort or full disk leaves nothing behind (and says which file could not be written);
 * a temp file left by a killed process is removed by the next download to the same name. A
 * chunk's write ends before the chunk after the next is asked for, so a download may pass
 * `reuseChunks` (the codec then hands windows over in two buffers by turns).
 */
export async function writeFileAtomically(
  destination: string,
  body: AsyncIterable<Uint8Array>,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<void> {
  const directory = dirname(destination);
  const stem = `.${basename(destination)}.`;
  await removeDeadTempFiles(directory, stem);
  const temp = join(directory, `${stem}${process.pid}-${randomUUID()}${TEMP_FILE_SUFFIX}`);
  try {
    await writeEachChunk(temp, body, options.signal);
    await rename(temp, destination);
  } catch (error) {
    await rm(temp, { force: true });
    throw namingTheFile(destination, error);
  }
}

/**
 * Writes `body` into a new file at `path`, a chunk at a time: the next chunk is asked for while
 * the last one is written, and that write ends before the one after is asked for, so the body
 * may hand chunks over in two buffers by turns (`reuseChunks`). An abort ends the wait for a
 * chunk at once.
 */
async function writeEachChunk(
  path: string,
  body: AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
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

/** A local write failure (a full disk, no permission) names the file; others pass unchanged. */
export function namingTheFile(path: string, error: unknown): unknown {
  // Only the system's own errors (ENOSPC, EACCES…) come from writing; they carry a syscall.
  if (!(error instanceof Error) || !('syscall' in error)) return error;
  if (error.message.includes(path)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return Object.assign(new Error(`cannot write ${path}: ${error.message}`, { cause: error }), {
    code,
  });
}

/** A local file to upload, streamed from disk as it is read. */
export async function localFile(path: string): Promise<BodySource> {
  const opened = await stat(path, { bigint: true });
  return {
    ...fileSource(path, Number(opened.size)),
    // Any write moves ctime (mtime can be set back by hand); a replaced file has another inode.
    async unchanged() {
      const now = await stat(path, { bigint: true }).catch(() => undefined);
      return (
        now !== undefined &&
        now.size === opened.size &&
        now.mtimeNs === opened.mtimeNs &&
        now.ctimeNs === opened.ctimeNs &&
        now.ino === opened.ino
      );
    },
  };
}

async function removeDeadTempFiles(directory: string, stem: string): Promise<void> {
  const names = await readdir(directory).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(stem) || !name.endsWith(TEMP_FILE_SUFFIX)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(stem.length))?.[1]);
    if (Number.isInteger(pid) && !isProcessAlive(pid))
      await rm(join(directory, name), { force: true });
  }
}

/**
 * A download target: inside it when it is a directory (or ends in `/`), else the path itself.
 * A name that cannot be a file there (`..`, `\\`, NUL) is refused with `UnsafeKeyError`.
 */
export async function resolveDownloadPath(
  destination: string,
  bucket: string,
  key: string,
): Promise<string> {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const existing = destination.endsWith('/')
    ? undefined
    : await stat(destination).catch(() => undefined);
  if (!destination.endsWith('/') && !existing?.isDirectory()) return destination;
  return localPathForKey(destination, bucket, key, name);
}

/** The key an upload lands on: `dir/` + the file's name for a directory target, else the key. */
export function uploadKeyFor(target: string, fileName: string): string {
  return target === '' || target.endsWith('/') ? `${target}${fileName}` : target;
}
