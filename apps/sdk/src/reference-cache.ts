import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReferenceCache } from '@deltaglider/core';
import { fileSource } from '@deltaglider/fs-adapter';
import { namingTheFile } from './file-transfer.js';

/** `$DG_CACHE_DIR`, else `$XDG_CACHE_HOME/deltaglider`, else `~/.cache/deltaglider`. */
export function defaultCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DG_CACHE_DIR) return env.DG_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'deltaglider');
}

/** How much the reference cache keeps by default before it drops the least recently used. */
export const DEFAULT_REFERENCE_CACHE_MAX_BYTES = 2 * 1024 ** 3;

// An entry used this recently may be open in another process (xdelta3 reading it): pruning
// leaves it, so the cap can be passed for that long.
const IN_USE_GRACE_MS = 60_000;
// A temp file this old belongs to a process that died while writing it.
const STALE_TEMP_MS = 60 * 60_000;

export interface DirectoryReferenceCacheOptions {
  /** Total bytes kept; least recently used references go first. Default 2 GiB. */
  readonly maxBytes?: number | undefined;
  /**
   * Where a reference goes when the cache directory cannot be written (read-only home): it is
   * then used once and not kept. Default: not given, and the failure is the caller's.
   */
  readonly fallbackDirectory?: () => string;
  /**
   * Entries used this recently are never pruned to meet the cap: another process may be
   * reading them. Default one minute.
   */
  readonly inUseGraceMs?: number | undefined;
}

export interface DirectoryReferenceCache extends ReferenceCache {
  /** Removes every cached reference; returns how many and how many bytes went. */
  prune(options?: { maxBytes?: number | undefined }): Promise<{ removed: number; bytes: number }>;
}

/**
 * References kept on disk by SHA-256 (`<directory>/references/<sha256>`), so each is
 * downloaded once per machine and a delta is made or applied against a file, not memory.
 * Entries appear by rename, so concurrent processes share the cache safely; each is checked
 * against its name when used, and a damaged one is fetched anew.
 */
export function createDirectoryReferenceCache(
  directory: string,
  options: DirectoryReferenceCacheOptions = {},
): DirectoryReferenceCache {
  const references = join(directory, 'references');
  const maxBytes = options.maxBytes ?? DEFAULT_REFERENCE_CACHE_MAX_BYTES;
  const pathOf = (sha256: string) =>
    join(references, /^[0-9a-f]{64}$/.test(sha256) ? sha256 : 'invalid');

  async function writeEntry(folder: string, body: AsyncIterable<Uint8Array>, signal?: AbortSignal) {
    await mkdir(folder, { recursive: true });
    const temp = join(folder, `.${randomUUID()}.tmp`);
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(
        Readable.from(body, { highWaterMark: 1 }),
        hashing,
        createWriteStream(temp, { flags: 'wx' }),
        ...(signal ? [{ signal }] : []),
      );
      const sha256 = hash.digest('hex');
      const path = join(folder, sha256);
      await rename(temp, path);
      return { sha256, path, size: (await stat(path)).size };
    } catch (error) {
      await rm(temp, { force: true });
      throw namingTheFile(temp, error);
    }
  }

  const cache: DirectoryReferenceCache = {
    async get(sha256) {
      const path = pathOf(sha256);
      const found = await stat(path).catch(() => undefined);
      if (!found?.isFile()) return undefined;
      if ((await sha256OfFile(path).catch(() => '')) !== sha256) {
        await rm(path, { force: true });
        return undefined;
      }
      // Least recently *used* goes first: a read counts as a use.
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined);
      return fileSource(path, found.size);
    },

    async put(body, request = {}) {
      let entry: { sha256: string; path: string; size: number };
      try {
        entry = await writeEntry(references, body, request.signal);
      } catch (error) {
        if (!options.fallbackDirectory || !isUnwritable(error)) throw error;
        entry = await writeEntry(options.fallbackDirectory(), body, request.signal);
        return { sha256: entry.sha256, source: fileSource(entry.path, entry.size) };
      }
      await trim(references, maxBytes, entry.sha256, {
        graceMs: options.inUseGraceMs ?? IN_USE_GRACE_MS,
      }).catch(() => undefined);
      return { sha256: entry.sha256, source: fileSource(entry.path, entry.size) };
    },

    async prune(pruneOptions = {}) {
      return trim(references, pruneOptions.maxBytes ?? 0, undefined, { graceMs: 0 });
    },
  };
  return cache;
}

/** Removes least recently used entries until at most `maxBytes` remain. */
async function trim(
  folder: string,
  maxBytes: number,
  keep: string | undefined,
  { graceMs }: { graceMs: number },
): Promise<{ removed: number; bytes: number }> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const now = Date.now();
  const entries: { path: string; size: number; usedAt: number; name: string }[] = [];
  let removed = 0;
  let bytes = 0;
  for (const name of names) {
    const path = join(folder, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    if (name.endsWith('.tmp')) {
      if (now - info.mtimeMs > STALE_TEMP_MS) await rm(path, { force: true });
      continue;
    }
    entries.push({ path, size: info.size, usedAt: info.mtimeMs, name });
  }
  let total = entries.reduce((sum, entry) => sum + entry.size, 0);
  entries.sort((a, b) => a.usedAt - b.usedAt);
  for (const entry of entries) {
    if (total <= maxBytes) break;
    if (entry.name === keep || (graceMs > 0 && now - entry.usedAt < graceMs)) continue;
    await rm(entry.path, { force: true });
    total -= entry.size;
    removed++;
    bytes += entry.size;
  }
  return { removed, bytes };
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function isUnwritable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}
