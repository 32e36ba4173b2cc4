import { setMaxListeners } from 'node:events';

/**
 * A signal that follows the caller's, for the many requests of one call. Each in-flight
 * request listens to it, so more than Node's default of 10 listeners is normal, and we raise
 * the limit on our own signal instead of the caller's.
 */
function followSignal(signal: AbortSignal): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const forward = () => controller.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  return { signal: controller.signal, release: () => signal.removeEventListener('abort', forward) };
}

/** Runs `work` with `options` whose signal (when there is one) follows the caller's. */
export async function withFollowedSignal<
  Options extends { readonly signal?: AbortSignal | undefined },
  T,
>(options: Options, work: (followed: Options) => Promise<T>): Promise<T> {
  if (!options.signal) return work(options);
  const followed = followSignal(options.signal);
  try {
    return await work({ ...options, signal: followed.signal });
  } finally {
    followed.release();
  }
}
