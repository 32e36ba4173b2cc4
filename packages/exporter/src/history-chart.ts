import { formatBytes, type StatsHistoryResult } from '@deltaglider/sdk';

const WIDTH = 640;
const HEIGHT = 160;
const MARGIN = { left: 80, right: 16, top: 12, bottom: 24 };

/**
 * A whole bucket's daily stored and original bytes as a line chart (inline SVG, nothing
 * fetched), with this month's average of stored bytes; empty without two days to draw.
 */
export function historyChart(history: StatsHistoryResult | undefined): string {
  const points = history?.points ?? [];
  if (points.length < 2) return '';
  const first = Date.parse(points[0]!.date);
  const span = Math.max(1, Date.parse(points.at(-1)!.date) - first);
  const top = Math.max(1, ...points.map((point) => Math.max(point.original, point.stored)));
  const x = (date: string) =>
    MARGIN.left + ((Date.parse(date) - first) / span) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (bytes: number) =>
    HEIGHT - MARGIN.bottom - (bytes / top) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const line = (value: (point: (typeof points)[number]) => number) =>
    points.map((point) => `${x(point.date).toFixed(1)},${y(value(point)).toFixed(1)}`).join(' ');
  const average = history?.monthlyAverage;
  const caption = average
    ? `${average.month}: ${formatBytes(average.storedBytes)} stored a day on average over ${average.days} day(s)`
    : '';
  return `<figure class="history"><svg role="img" aria-label="stored and original bytes by day" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
<text x="4" y="${MARGIN.top + 8}">${formatBytes(top)}</text>
<text x="4" y="${HEIGHT - MARGIN.bottom}">0</text>
<text x="${MARGIN.left}" y="${HEIGHT - 6}">${points[0]!.date}</text>
<text x="${WIDTH - MARGIN.right}" y="${HEIGHT - 6}" text-anchor="end">${points.at(-1)!.date}</text>
<polyline data-series="original" fill="none" stroke="#9aa3b5" stroke-width="2" points="${line((point) => point.original)}"/>
<polyline data-series="stored" fill="none" stroke="#1b7f3b" stroke-width="2" points="${line((point) => point.stored)}"/>
</svg><figcaption class="meta">Daily history: stored (green) and original (grey) bytes. ${caption}</figcaption></figure>`;
}
