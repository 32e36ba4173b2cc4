import { describe, expect, it } from 'vitest';
import { eachAtMost } from './at-most.js';

describe('eachAtMost', () => {
  it('runs every item, never more than the limit at once', async () => {
    const inFlight = { now: 0, most: 0 };
    const done: number[] = [];
    await eachAtMost([...Array(50).keys()], 4, async (item) => {
      inFlight.most = Math.max(inFlight.most, ++inFlight.now);
      await new Promise((resolve) => setTimeout(resolve, item % 3));
      done.push(item);
      inFlight.now--;
    });
    expect(done.sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(inFlight.most).toBe(4);
  });

  it('fails with the first error and starts nothing after it', async () => {
    const started: number[] = [];
    const run = eachAtMost([...Array(50).keys()], 4, async (item) => {
      started.push(item);
      await new Promise((resolve) => setImmediate(resolve));
      if (item === 5) throw new Error('read 5 failed');
    });
    await expect(run).rejects.toThrow('read 5 failed');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Math.max(...started)).toBeLessThan(10);
  });
});
