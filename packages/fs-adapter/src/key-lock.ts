import { open, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

// A lock older than this was left by a crashed writer: no write holds it that long.
const STALE_AFTER_MS = 30_000;
const WAIT_LIMIT_MS = 10_000;
const RETRY_EVERY_MS = 5;

/**
 * Runs `critical` while holding an exclusive lock file, across processes. Used for `ifMatch`
 * writes, whose read-compare-rename must not interleave with another conditional writer.
 */
export async function withKeyLock<T>(lockPath: string, critical: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(lockPath).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > STALE_AFTER_MS) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockPath}`);
      await sleep(RETRY_EVERY_MS);
    }
  }
  try {
    return await critical();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
