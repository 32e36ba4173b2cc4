/**
 * Runs `task` over items as they come, at most `concurrency` at once, and resolves when all
 * ended. A task that throws stops new ones from starting and rejects the whole run once the
 * running ones settled (tasks report their own per-item failures and throw only to stop).
 */
export async function runBounded<T>(
  items: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let stopped: { error: unknown } | undefined;
  for await (const item of items) {
    if (stopped) break;
    const run = task(item).catch((error: unknown) => {
      stopped ??= { error };
    });
    running.add(run);
    void run.finally(() => running.delete(run));
    if (running.size >= concurrency) await Promise.race(running);
  }
  await Promise.all(running);
  if (stopped) throw stopped.error;
}
