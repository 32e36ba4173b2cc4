import { randomUUID } from 'node:crypto';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { BodySource } from '@deltaglider/core';
import { fileSource, writeNewFile } from '@deltaglider/fs-adapter';
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
    await writeNewFile(temp, body, options.signal);
    await rename(temp, destination);
  } catch (error) {
    await rm(temp, { force: true });
    throw namingTheFile(destination, error);
  }
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
