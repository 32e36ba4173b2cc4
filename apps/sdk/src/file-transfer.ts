import { randomUUID } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so it appears whole or not at all: a temp file beside the destination, then a
 * rename. A failure leaves nothing behind.
 */
export async function writeFileAtomically(destination: string, bytes: Uint8Array): Promise<void> {
  const temp = join(dirname(destination), `.${basename(destination)}.${randomUUID()}.dg-tmp`);
  try {
    await writeFile(temp, bytes);
    await rename(temp, destination);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** A download target: inside it when it is a directory (or ends in `/`), else the path itself. */
export async function resolveDownloadPath(destination: string, key: string): Promise<string> {
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (destination.endsWith('/')) return join(destination, name);
  const existing = await stat(destination).catch(() => undefined);
  return existing?.isDirectory() ? join(destination, name) : destination;
}

/** The key an upload lands on: `dir/` + the file's name for a directory target, else the key. */
export function uploadKeyFor(target: string, fileName: string): string {
  return target === '' || target.endsWith('/') ? `${target}${fileName}` : target;
}
