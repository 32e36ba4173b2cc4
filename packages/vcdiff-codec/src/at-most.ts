/**
 * Runs `work` on every item, at most `limit` at a time: each positioned read of a local
 * reference opens the file, and a window may ask for hundreds of them (a delta made to look
 * that way would otherwise run the process out of file descriptors).
 */
export async function eachAtMost<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    try {
      while (next < items.length && !failed) await work(items[next++]!);
    } catch (error) {
      failed = true; // the others take no new items: the whole call has failed
      throw error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
