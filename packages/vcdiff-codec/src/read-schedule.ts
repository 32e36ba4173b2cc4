/** A read a window needs, and the window offset of its first instruction that copies from it. */
export interface ScheduledRead {
  readonly firstUse: number;
  readonly start: () => Promise<void>;
}

/** Past every window offset: nothing left to wait for. */
export const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * A window's reads of its reference, started in the order its instructions first need them, at
 * most `limit` at a time, so that the window can run while the later ones are still in flight:
 * `until()` says how far it may run now, `next()` waits for the read that holds it up. Once one
 * read fails, no other starts; the window waits for `settled()` before it fails, so that no read
 * goes on into a failed decode.
 */
export class ReadSchedule {
  private readonly ended: boolean[];
  private readonly reads: Promise<void>[];
  /** The first read, in the order of first use, that has not ended yet. */
  private waitingFor = 0;

  constructor(
    private readonly scheduled: readonly ScheduledRead[],
    limit: number,
  ) {
    this.ended = scheduled.map(() => false);
    const outcomes: { resolve: () => void; reject: (error: unknown) => void }[] = [];
    this.reads = scheduled.map(() => {
      const read = new Promise<void>((resolve, reject) => outcomes.push({ resolve, reject }));
      read.catch(() => undefined); // awaited in turn: meanwhile its failure is not unhandled
      return read;
    });
    let started = 0;
    let inFlight = 0;
    let failure: { error: unknown } | undefined;
    const startMore = () => {
      for (; inFlight < limit && started < scheduled.length; started++) {
        const index = started;
        if (failure) {
          outcomes[index]!.reject(failure.error);
          continue;
        }
        inFlight++;
        scheduled[index]!.start().then(
          () => {
            inFlight--;
            this.ended[index] = true;
            outcomes[index]!.resolve();
            startMore();
          },
          (error: unknown) => {
            inFlight--;
            failure ??= { error };
            outcomes[index]!.reject(error);
            startMore();
          },
        );
      }
    };
    startMore();
  }

  /** The window offset where the first read not ended is first used: the window runs to it. */
  until(): number {
    while (this.waitingFor < this.scheduled.length && this.ended[this.waitingFor])
      this.waitingFor++;
    return this.scheduled[this.waitingFor]?.firstUse ?? NO_LIMIT;
  }

  /** Waits for the read that `until()` stops at; rejects if it failed. */
  next(): Promise<void> {
    this.until();
    const read = this.reads[this.waitingFor];
    if (!read) throw new Error('a window waited for a read when none was left');
    return read;
  }

  /** Waits until every read has ended or failed, or will never start. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.reads);
  }
}
