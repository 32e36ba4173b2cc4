import type { FileHandle } from 'node:fs/promises';

/**
 * Reads `file` from `position` into `into` at `at` until `length` bytes are there or the file
 * ends (one positioned read may return fewer bytes than asked for): how many it read.
 */
export async function fillFromFile(
  file: FileHandle,
  into: Uint8Array,
  at: number,
  length: number,
  position: number,
  signal?: AbortSignal,
): Promise<number> {
  let filled = 0;
  while (filled < length) {
    signal?.throwIfAborted();
    const { bytesRead } = await file.read(into, at + filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/** What a file shorter than its size was said to be fails with. */
export function endedEarly(path: string): string {
  return `${path} ended before its stated size`;
}
