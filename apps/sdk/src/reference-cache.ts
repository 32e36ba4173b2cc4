import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ReferenceCache } from '@deltaglider/core';

/** `$DG_CACHE_DIR`, else `$XDG_CACHE_HOME/deltaglider`, else `~/.cache/deltaglider`. */
export function defaultCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DG_CACHE_DIR) return env.DG_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'deltaglider');
}

/**
 * References kept on disk by SHA-256, so each is downloaded once per machine. Entries are
 * verified by the caller against the hash they are filed under; a damaged one is fetched anew.
 */
export function createDirectoryReferenceCache(directory: string): ReferenceCache {
  const references = join(directory, 'references');
  const pathOf = (sha256: string) =>
    join(references, /^[0-9a-f]{64}$/.test(sha256) ? sha256 : 'invalid');
  return {
    async get(sha256) {
      return readFile(pathOf(sha256)).catch(() => undefined);
    },
    async put(sha256, bytes) {
      try {
        await mkdir(references, { recursive: true });
        const temp = join(references, `.${randomUUID()}.tmp`);
        await writeFile(temp, bytes);
        await rename(temp, pathOf(sha256));
      } catch {
        // A cache that cannot be written only costs a download next time.
      }
    },
  };
}
