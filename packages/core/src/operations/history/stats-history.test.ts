import { describe, expect, it } from 'vitest';
import {
  type HistoryPoint,
  MAX_HISTORY_DAYS,
  monthlyAverage,
  statsHistorySchema,
  withPoint,
} from './stats-history.js';

const day = (offset: number) =>
  new Date(Date.UTC(2026, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
const point = (date: string, stored: number): HistoryPoint => ({
  date,
  stored,
  original: stored * 10,
  billed: stored,
  objects: 1,
});

describe('the stats history', () => {
  it('keeps one point a day, the last wins, and 400 days of petabyte numbers fit in 64 KB', () => {
    let history = withPoint(undefined, point('2026-01-02', 5));
    history = withPoint(history, point('2026-01-01', 3));
    history = withPoint(history, point('2026-01-02', 7));
    expect(history.points).toEqual([point('2026-01-01', 3), point('2026-01-02', 7)]);
    for (let offset = 0; offset < 500; offset++)
      history = withPoint(history, { ...point(day(offset), 2 ** 49), objects: 2 ** 40 });
    expect(history.points).toHaveLength(MAX_HISTORY_DAYS);
    expect(history.points[0]?.date).toBe(day(100));
    const text = JSON.stringify({ ...history, generator: 'deltaglider-ts/9.99.99' });
    expect(text.length).toBeLessThanOrEqual(64 * 1024);
    expect(statsHistorySchema.parse(JSON.parse(text)).points).toEqual(history.points);
  });

  it('averages a month day by day, a day without a point standing at the last one', () => {
    const points = [point('2026-11-30', 100), point('2026-12-02', 400), point('2026-12-04', 1000)];
    // Dec 1: 100 (from Nov 30), 2: 400, 3: 400, 4 and 5: 1,000.
    expect(monthlyAverage(points, '2026-12', '2026-12-05')).toEqual({
      month: '2026-12',
      storedBytes: (100 + 400 + 400 + 1000 + 1000) / 5,
      billedBytes: (100 + 400 + 400 + 1000 + 1000) / 5,
      days: 5,
    });
    // Days before the first point do not count; a month without any is undefined.
    expect(monthlyAverage([point('2026-12-03', 90)], '2026-12', '2026-12-04')?.days).toBe(2);
    expect(monthlyAverage(points, '2026-10', '2026-12-05')).toBeUndefined();
    // A past month counts all its days.
    expect(monthlyAverage(points, '2026-11', '2026-12-05')).toMatchObject({
      days: 1,
      storedBytes: 100,
    });
  });
});
