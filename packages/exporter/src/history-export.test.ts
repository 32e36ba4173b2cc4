import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { createClient } from '@deltaglider/sdk';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { createExporter } from './create-exporter.js';

// A whole bucket's history, as the exporter shows it: the month's average of daily stored
// bytes on /metrics, and a line chart of the days on the status page.

type Families = { name: string; metrics: { value: string; labels?: Record<string, string> }[] }[];

describe('the exporter and the stats history', () => {
  it('exports the monthly average and draws the days', async () => {
    const store = createMemoryObjectStore({ buckets: ['daily'] });
    const clockOn = (date: string) => ({
      now: () => new Date(`${date}T12:00:00Z`),
      elapsedMs: () => performance.now(),
    });
    // Two earlier days, recorded by computed results.
    await store.put('daily', 'notes.txt', new Uint8Array(1000));
    await createClient({
      store,
      localStatsCache: false,
      clock: clockOn('2026-12-01'),
    }).getBucketStats('daily');
    await store.put('daily', 'more.txt', new Uint8Array(3000));
    await createClient({
      store,
      localStatsCache: false,
      clock: clockOn('2026-12-02'),
    }).getBucketStats('daily');

    const client = createClient({ store, localStatsCache: false, clock: clockOn('2026-12-02') });
    const exporter = createExporter({ client, targets: [{ bucket: 'daily' }], version: '1.0.0' });
    const { url } = await exporter.listen({ port: 0 });
    try {
      let average: string | undefined;
      for (let attempt = 0; attempt < 200 && average === undefined; attempt++) {
        const families = parsePrometheusTextFormat(
          await (await fetch(`${url}/metrics`)).text(),
        ) as Families;
        average = families
          .find((family) => family.name === 'deltaglider_monthly_average_stored_bytes')
          ?.metrics.find((metric) => metric.labels?.month === '2026-12')?.value;
        if (average === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      // Day 1: 1,000 bytes; day 2: 4,000.
      expect(average).toBe('2500');
      const page = await (await fetch(`${url}/`)).text();
      expect(page).toMatch(/<polyline data-series="stored"[^>]* points="[\d.,]+ [\d.,]+"/);
      expect(page).toContain('2026-12: 2.4 KiB stored a day on average over 2 day(s)');
    } finally {
      await exporter.close();
    }
  });
});
