import { existsSync, readdirSync, readlinkSync } from 'node:fs';

// The tests' view of which files this process holds open, as Linux lists them in /proc/self/fd
// (CI runs Linux; elsewhere the tests that need it are skipped).

export const onLinux = existsSync('/proc/self/fd');

/** How many files this process has open; with `file`, how often it has that one open. */
export function openFiles(file?: string): number {
  const descriptors = readdirSync('/proc/self/fd');
  if (file === undefined) return descriptors.length;
  return descriptors.filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false; // the directory's own descriptor, closed by the time it is read
    }
  }).length;
}
