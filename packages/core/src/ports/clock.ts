/** Time as core sees it, so cache ages and phase timings can be tested without waiting. */
export interface Clock {
  /** Wall-clock time, for timestamps written to the bucket. */
  now(): Date;
  /** A monotonic reading in milliseconds, for durations. */
  elapsedMs(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  elapsedMs: () => performance.now(),
};
