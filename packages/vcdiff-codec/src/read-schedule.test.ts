import { describe, expect, it } from 'vitest';
import { NO_LIMIT, ReadSchedule } from './read-schedule.js';

/** Reads the test ends by hand, recording the order they start in. */
function heldReads(firstUses: readonly number[]) {
  const started: number[] = [];
  const endings: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const reads = firstUses.map((firstUse, index) => ({
    firstUse,
    start: () =>
      new Promise<void>((resolve, reject) => {
        started.push(index);
        endings[index] = { resolve, reject };
      }),
  }));
  return { reads, started, endings };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ReadSchedule', () => {
  it('starts reads in order, at most its limit at a time, and lets the window run up to the first not ended', async () => {
    const { reads, started, endings } = heldReads([0, 100, 200, 300]);
    const schedule = new ReadSchedule(reads, 2);
    expect(started).toEqual([0, 1]);
    expect(schedule.until()).toBe(0);

    endings[1]!.resolve(); // a later read ends first: the window still waits at the first
    await turn();
    expect(started).toEqual([0, 1, 2]);
    expect(schedule.until()).toBe(0);

    const waited = schedule.next();
    endings[0]!.resolve();
    await waited;
    expect(schedule.until()).toBe(200);
    await turn();
    expect(started).toEqual([0, 1, 2, 3]);

    endings[2]!.resolve();
    endings[3]!.resolve();
    await schedule.settled();
    expect(schedule.until()).toBe(NO_LIMIT);
  });

  it('starts nothing after a failure, fails the window at that read, and settles once the reads in flight end', async () => {
    const { reads, started, endings } = heldReads([0, 10, 20, 30]);
    const schedule = new ReadSchedule(reads, 2);
    endings[0]!.reject(new Error('disk gone'));
    await turn();
    expect(started).toEqual([0, 1]); // reads 2 and 3 never start
    await expect(schedule.next()).rejects.toThrow('disk gone');
    expect(schedule.until()).toBe(0);

    let settled = false;
    const settling = schedule.settled().then(() => {
      settled = true;
    });
    await turn();
    expect(settled).toBe(false); // read 1 is still in flight
    endings[1]!.resolve();
    await settling;
    expect(started).toEqual([0, 1]);
  });

  it('has nothing to wait for without reads', async () => {
    const schedule = new ReadSchedule([], 8);
    expect(schedule.until()).toBe(NO_LIMIT);
    await schedule.settled();
  });
});
