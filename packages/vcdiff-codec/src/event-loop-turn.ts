/**
 * Resolves once the event loop has had a turn: reads finished meanwhile are taken in and the
 * next ones started. A promise that is already resolved does not do that (its callbacks run
 * before any I/O's), so this waits for setImmediate, or for a timer where there is none (a
 * browser).
 */
export function eventLoopTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
