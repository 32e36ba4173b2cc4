import { randomUUID } from 'node:crypto';
import { readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { localPathForKey } from './local-path-for-key.js';
import { TEMP_FILE_SUFFIX } from './local-upload-tree.js';
import { isProcessAlive } from './process-temp-directory.js';

/**
 * Writes a file so it appears whole or not at all: a temp file beside the destination
 * (`.<name>.<pid>-<uuid>.dg-tmp`), then a rename. A failure or abort leaves nothing behind; a
 * temp file left by a killed process is removed by the next download to the same name.
 */
export async function writeFileAtomically(
  destination: string,
  bytes: Uint8Array,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  const directory = dirname(destination);
  const stem = `.${basename(destination)}.`;
  await removeDeadTempFiles(directory, stem);
  const temp = join(directory, `${stem}${process.pid}-${randomUUID()}${TEMP_FILE_SUFFIX}`);
  try {
    await writeFile(temp, bytes, options.signal ? { signal: options.signal } : {});
    await rename(temp, destination);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
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
