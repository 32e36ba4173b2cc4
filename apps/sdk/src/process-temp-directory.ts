import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'deltaglider-';
let current: string | undefined;

/**
 * This process's own temp directory (`$TMPDIR/deltaglider-<pid>-<random>`), made on first use
 * and removed when the process exits. Its first use also removes the directories of processes
 * that are gone (killed with -9, crashed), so nothing piles up in TMPDIR.
 */
export function processTempDirectory(parent: string = tmpdir()): string {
  if (current !== undefined) return current;
  removeDeadProcessDirectories(parent);
  const directory = join(
    parent,
    `${PREFIX}${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
  );
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
  current = directory;
  return directory;
}

/** Whether a process with this PID still runs (on this machine, where TMPDIR lives). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeDeadProcessDirectories(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const match = new RegExp(`^${PREFIX}(\\d+)-[a-z0-9]+$`).exec(name);
    if (!match || isProcessAlive(Number(match[1]))) continue;
    try {
      rmSync(join(parent, name), { recursive: true, force: true });
    } catch {
      // Another user's, or already gone: not ours to worry about.
    }
  }
}
