import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { createClient, InvalidArgumentError } from '@deltaglider/sdk';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { createExporter } from './create-exporter.js';

// The exporter as a user's own Node service runs it: an SDK client over a store, served on a
// free port, scraped over real HTTP.

type Families = {
  name: string;
  metrics: { value: string; labels?: Record<string, string> }[];
}[];
const value = (families: Families, name: string, labels: Record<string, string>) =>
  families
    .find((family) => family.name === name)
    ?.metrics.find((metric) => Object.entries(labels).every(([k, v]) => metric.labels?.[k] === v))
    ?.value;

async function scrape(url: string): Promise<Families> {
  return parsePrometheusTextFormat(await (await fetch(url)).text()) as Families;
}

describe('createExporter', () => {
  it('serves a client’s stats on /metrics, /probe, /healthz and /, and stops on close', async () => {
    const store = createMemoryObjectStore({ buckets: ['releases'] });
    const fixture = await loadFixtureBucket(store, 'releases');
    const client = createClient({ store, localStatsCache: false });
    const exporter = createExporter({
      client,
      targets: [{ bucket: 'releases', prefix: '/' }],
      mode: 'detailed',
      version: '9.9.9',
    });
    const { url } = await exporter.listen({ port: 0 });
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      let families: Families = [];
      for (let attempt = 0; attempt < 200; attempt++) {
        families = await scrape(`${url}/metrics`);
        const done = { bucket: 'releases', prefix: '', mode: 'detailed' };
        if (value(families, 'deltaglider_refreshes_total', done) === '1') break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const whole = { bucket: 'releases', prefix: '' };
      const deltas = fixture.filter((object) => object.key.endsWith('.delta')).length;
      // What every exporter serves about itself.
      expect(value(families, 'deltaglider_build_info', { version: '9.9.9' })).toBe('1');
      for (const name of [
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'process_open_fds',
        'process_start_time_seconds',
      ])
        expect(Number(value(families, name, {})), name).toBeGreaterThan(0);
      const userObjects = fixture.filter((object) => !object.key.endsWith('reference.bin')).length;
      expect(Number(value(families, 'deltaglider_objects', whole))).toBe(userObjects);
      expect(Number(value(families, 'deltaglider_delta_objects', whole))).toBe(deltas);

      const probed = await scrape(
        `${url}/probe?bucket=releases&prefix=%2Freleases%2F&mode=detailed`,
      );
      expect(
        probed.flatMap((family) => family.metrics.map((metric) => metric.labels?.prefix)),
      ).not.toContain('/releases/');
      // A probed target answers on /probe only: sum() over /metrics must not count it twice.
      const after = await scrape(`${url}/metrics`);
      const prefixes = after.flatMap((family) =>
        family.metrics.map((metric) => metric.labels?.prefix),
      );
      expect(new Set(prefixes.filter((prefix) => prefix !== undefined))).toEqual(new Set(['']));
      expect(await (await fetch(`${url}/healthz`)).text()).toBe('ok\n');
      const page = await fetch(`${url}/`);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('9.9.9');
    } finally {
      await exporter.close();
    }
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('refuses a bad target or number before listening', () => {
    const client = createClient({ store: createMemoryObjectStore(), localStatsCache: false });
    expect(() => createExporter({ client, targets: [{ bucket: 'Bad_Name' }] })).toThrow(
      InvalidArgumentError,
    );
    expect(() => createExporter({ client, targets: [], intervalSeconds: 0 })).toThrow(
      /intervalSeconds must be a number of at least 1, got 0/,
    );
    expect(() => createExporter({ client, targets: [], refreshConcurrency: 1.5 })).toThrow(
      /refreshConcurrency must be a whole number of at least 1/,
    );
  });
});

describe('createExporter with a metrics token', () => {
  it('answers every path but /healthz only to requests that carry it', async () => {
    const client = createClient({ store: createMemoryObjectStore(), localStatsCache: false });
    const exporter = createExporter({ client, targets: [], metricsToken: 's3cret-token' });
    const { url } = await exporter.listen({ port: 0 });
    try {
      const get = (path: string, authorization?: string) =>
        fetch(`${url}${path}`, { headers: authorization ? { authorization } : {} });
      for (const path of ['/metrics', '/probe?bucket=releases', '/', '/cache-statistics']) {
        const refused = await get(path);
        expect(refused.status, path).toBe(401);
        expect(refused.headers.get('www-authenticate')).toContain('Bearer');
        expect((await get(path, 'Bearer wrong-token')).status, path).toBe(401);
        expect((await get(path, 'Basic czNjcmV0LXRva2Vu')).status, path).toBe(401);
        expect((await get(path, 'Bearer s3cret-token')).status, path).toBe(200);
      }
      expect((await get('/healthz')).status).toBe(200);
    } finally {
      await exporter.close();
    }
  });
});
