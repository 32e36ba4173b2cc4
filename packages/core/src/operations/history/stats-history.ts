import * as z from 'zod/mini';

/** The key of our daily history, beside the stats caches (no other tool reads or writes it). */
export const HISTORY_KEY = '.deltaglider/history.deltaglider-ts.json';

/** Days kept: a little over a year, about 40 KB of JSON. */
export const MAX_HISTORY_DAYS = 400;

const bytes = z.int().check(z.nonnegative());

/** One UTC day's numbers: the last result computed that day. */
export const historyPointSchema = z.object({
  /** `YYYY-MM-DD`, UTC. */
  date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  stored: bytes,
  original: bytes,
  billed: bytes,
  objects: bytes,
});

export const statsHistorySchema = z.object({
  version: z.literal(1),
  generator: z.optional(z.string()),
  /** Oldest first, one a day. */
  points: z.array(historyPointSchema).check(z.maxLength(MAX_HISTORY_DAYS * 2)),
});

export type HistoryPoint = z.infer<typeof historyPointSchema>;
export type StatsHistory = z.infer<typeof statsHistorySchema>;

/** The history with `point` in: it replaces that day's, the oldest beyond the limit go. */
export function withPoint(history: StatsHistory | undefined, point: HistoryPoint): StatsHistory {
  const points = (history?.points ?? []).filter((kept) => kept.date !== point.date);
  points.push(point);
  points.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { version: 1, points: points.slice(-MAX_HISTORY_DAYS) };
}

/** What a month's days averaged: the measure storage is billed by (GB-months). */
export interface MonthlyAverage {
  /** `YYYY-MM`. */
  readonly month: string;
  readonly storedBytes: number;
  readonly billedBytes: number;
  /** Days averaged: from the month's first day (or the first point) to `today` (or its end). */
  readonly days: number;
}

/**
 * The average over the days of `month` so far of each day's stored and billed bytes. A day
 * without a point has the last point before it: stats are recomputed whenever the bucket
 * changes, so a day without one is a day the numbers stood still (or nobody asked).
 */
export function monthlyAverage(
  points: readonly HistoryPoint[],
  month: string,
  today: string,
): MonthlyAverage | undefined {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const daysInMonth = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  let stored = 0;
  let billed = 0;
  let days = 0;
  for (let day = 1; day <= daysInMonth; day++) {
    const date = `${month}-${String(day).padStart(2, '0')}`;
    if (date > today) break;
    const last = points.findLast((point) => point.date <= date);
    if (!last) continue;
    stored += last.stored;
    billed += last.billed;
    days++;
  }
  if (days === 0) return undefined;
  return {
    month,
    storedBytes: Math.round(stored / days),
    billedBytes: Math.round(billed / days),
    days,
  };
}
