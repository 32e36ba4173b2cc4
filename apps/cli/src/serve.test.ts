import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, testStoreAt, useS3TestBed } from './test-support/s3-test-bed.js';
import { type RunningExporter, startExporter } from './test-support/start-exporter.js';

// `deltaglider serve` as an operator runs it, against the S3 test server: what Prometheus
// scrapes, what a bad request gets, that scrapes never wait for a refresh, and a clean stop.

const bed = useS3TestBed();
const SECRET = 'not-for-any-page-0123456789';
let work: string;
const env = () => ({
  ...testCredentialsEnv,
  AWS_SECRET_ACCESS_KEY: SECRET,
  DG_CACHE_DIR: join(work, 'cache'),
});

type Families = {
  name: string;
  type: string;
  metrics: { value: string; labels: Record<string, string> }[];
}[];
const parse = (text: string) => parsePrometheusTextFormat(text) as Families;
const sample = (families: Families, name: string, labels: Record<string, string> = {}) =>
  families
    .find((family) => family.name === name)
    ?.metrics.find((metric) => Object.entries(labels).every(([k, v]) => metric.labels[k] === v));

/** Polls until `check` holds: the exporter refreshes in the background. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const value = await read();
    if (check(value) || attempt > 200) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves once the proxy has seen no new request for `milliseconds`. */
async function quiet(proxy: { requestCounts(): object }, milliseconds: number): Promise<void> {
  let last = JSON.stringify(proxy.requestCounts());
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, milliseconds));
    const now = JSON.stringify(proxy.requestCounts());
    if (now === last) return;
    last = now;
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dg-serve-'));
  const store = testStoreAt(bed.server.endpoint);
  for (const bucket of ['served', 'slow-served']) {
    await bed.server.createBucket(bucket);
    await loadFixtureBucket(store, bucket);
  }
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('deltaglider serve', () => {
  let exporter: RunningExporter;
  beforeAll(async () => {
    exporter = await startExporter(
      [
        '--endpoint-url',
        bed.server.endpoint,
        '--bucket',
        'served',
        '--bucket',
        's3://served/releases/',
        '--mode',
        'detailed',
      ],
      env(),
    );
  });
  afterAll(async () => {
    await exporter?.stop();
  });

  it('serves /metrics with s3_exporter names and the numbers stats gives', async () => {
    const text = await eventually(
      async () => (await exporter.get('/metrics')).text(),
      // Both targets refreshed (they refresh independently, in no set order).
      (body) =>
        body.includes('deltaglider_last_refresh_success{bucket="served",prefix="releases/"') &&
        body.includes('deltaglider_last_refresh_success{bucket="served",prefix=""'),
    );
    const families = parse(text);
    const stats = JSON.parse(
      (
        await runDeltaglider(
          ['--endpoint-url', bed.server.endpoint, 'stats', 'served', '--detailed', '--json'],
          env(),
        )
      ).stdout,
    );
    const whole = { bucket: 'served', prefix: '' };
    expect(sample(families, 's3_objects_total', whole)?.value).toBe(String(stats.object_count));
    expect(sample(families, 's3_objects_size_sum_bytes', whole)?.value).toBe(
      String(stats.compressed_size),
    );
    expect(sample(families, 's3_list_success', whole)?.value).toBe('1');
    expect(sample(families, 'deltaglider_saved_bytes', { ...whole, mode: 'detailed' })?.value).toBe(
      String(stats.space_saved),
    );
    expect(sample(families, 'deltaglider_last_refresh_success', whole)?.value).toBe('1');
    // The refresh recorded the day in the bucket's history; the worker read it back: with one
    // day so far, the month's average is that day's stored bytes.
    expect(sample(families, 'deltaglider_monthly_average_stored_bytes', whole)?.value).toBe(
      String(stats.compressed_size),
    );
    expect(
      Number(sample(families, 'deltaglider_refresh_duration_seconds', whole)?.value),
    ).toBeGreaterThan(0);
    expect(
      Number(sample(families, 'deltaglider_stats_age_seconds', whole)?.value),
    ).toBeGreaterThanOrEqual(0);
    expect(
      sample(families, 'deltaglider_objects', { bucket: 'served', prefix: 'releases/' }),
    ).toBeDefined();
    expect(
      families.find((family) => family.name === 'deltaglider_stats_cache_misses_total')?.type,
    ).toBe('COUNTER');
    for (const name of ['hits', 'misses', 'stale', 'errors'])
      expect(sample(families, `deltaglider_stats_cache_${name}_total`)).toBeDefined();
    expect(text).not.toContain(SECRET);
  });

  it('ships a Grafana dashboard whose panels are well formed and query only metrics it serves', async () => {
    const dashboard = JSON.parse(
      await readFile(new URL('../../../docs/grafana-dashboard.json', import.meta.url), 'utf8'),
    );
    // The fields Grafana's dashboard schema requires to import a dashboard.
    expect(dashboard).toMatchObject({
      uid: expect.any(String),
      title: expect.any(String),
      schemaVersion: expect.any(Number),
      panels: expect.any(Array),
      templating: { list: expect.any(Array) },
      time: { from: expect.any(String), to: expect.any(String) },
    });
    const ids = new Set<number>();
    for (const panel of dashboard.panels) {
      expect(panel).toMatchObject({
        id: expect.any(Number),
        type: expect.stringMatching(/^(stat|timeseries|bargauge|gauge|table)$/),
        title: expect.any(String),
        gridPos: {
          x: expect.any(Number),
          y: expect.any(Number),
          w: expect.any(Number),
          h: expect.any(Number),
        },
      });
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
      expect(ids.has(panel.id), `panel id ${panel.id} used twice`).toBe(false);
      ids.add(panel.id);
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      const refIds = panel.targets.map((target: { refId: string }) => target.refId);
      expect(new Set(refIds).size, panel.title).toBe(refIds.length);
    }
    // Every metric a panel or variable queries is one /metrics serves.
    const text = await eventually(
      async () => (await exporter.get('/metrics')).text(),
      (body) => body.includes('deltaglider_last_refresh_success{bucket="served",prefix=""'),
    );
    const served = new Set(parse(text).map((family) => family.name));
    const queries = [
      ...dashboard.panels.flatMap((panel: { targets: { expr: string }[] }) =>
        panel.targets.map((target) => target.expr),
      ),
      ...dashboard.templating.list.map(
        (variable: { definition?: string }) => variable.definition ?? '',
      ),
    ];
    const queried = new Set(
      queries.flatMap(
        (query: string) => query.match(/\b(?:deltaglider|s3|process)_[a-z_]+/g) ?? [],
      ),
    );
    expect([...queried].filter((name) => !served.has(name))).toEqual([]);
    // The panels the docs promise: savings, stored vs original, health, refreshes, the cache.
    for (const metric of [
      'deltaglider_saved_bytes',
      'deltaglider_stored_bytes',
      'deltaglider_deltaspaces',
      'deltaglider_stats_age_seconds',
      'deltaglider_refresh_failures_total',
      'deltaglider_stats_cache_hits_total',
    ])
      expect(queried).toContain(metric);
  });

  it('answers /probe for one target, and 400 for a bad query', async () => {
    // A new target is refreshed in the background: the first probes answer without its numbers.
    const first = await exporter.get('/probe?bucket=served&prefix=releases/app&mode=detailed');
    expect(first.status).toBe(200);
    const families = await eventually(
      async () =>
        parse(
          await (
            await exporter.get('/probe?bucket=served&prefix=releases/app&mode=detailed')
          ).text(),
        ),
      (found) => sample(found, 's3_objects_total') !== undefined,
    );
    expect(
      sample(families, 's3_objects_total', { bucket: 'served', prefix: 'releases/app/' }),
    ).toBeDefined();
    expect(sample(families, 's3_objects_total', { bucket: 'served', prefix: '' })).toBeUndefined();
    // `/releases/app/` and `releases/app/` name the same target: one label, numbers already there.
    for (const spelling of ['/releases/app/', 'releases/app/']) {
      const again = parse(
        await (
          await exporter.get(
            `/probe?bucket=served&prefix=${encodeURIComponent(spelling)}&mode=detailed`,
          )
        ).text(),
      );
      expect(
        again.flatMap((family) => family.metrics.map((metric) => metric.labels?.prefix)),
      ).toEqual(expect.not.arrayContaining(['/releases/app/']));
      expect(
        sample(again, 's3_objects_total', { bucket: 'served', prefix: 'releases/app/' }),
        spelling,
      ).toBeDefined();
    }
    for (const bad of [
      '/probe',
      '/probe?bucket=Bad_Name',
      '/probe?bucket=served&mode=fast',
      '/probe?bucket=served&x=1',
    ]) {
      const response = await exporter.get(bad);
      expect(response.status, bad).toBe(400);
      expect((await response.text()).split('\n')).toHaveLength(2);
    }
  });

  it('answers /healthz, 404 elsewhere, 405 to other methods, and keeps secrets off the page', async () => {
    expect((await exporter.get('/healthz')).status).toBe(200);
    expect((await exporter.get('/admin')).status).toBe(404);
    expect((await exporter.get('/metrics', { method: 'POST' })).status).toBe(405);
    const page = await (await exporter.get('/')).text();
    expect(page).toContain('s3://served/ (detailed)');
    expect(page).not.toContain(SECRET);
    expect(page).not.toContain(bed.server.endpoint);
    const statistics = (await (await exporter.get('/cache-statistics')).json()) as {
      cache: { errors: number };
      targets: unknown[];
    };
    expect(statistics.cache).toMatchObject({ errors: 0 });
    expect(statistics.targets.length).toBeGreaterThanOrEqual(2);

    // The same figures through the CLI, from another process.
    const status = await runDeltaglider(['cache', 'status', '--exporter', exporter.url], env());
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/hits \d+, misses \d+, stale \d+, refreshed \d+, errors 0/);
    expect(status.stdout).toMatch(
      /s3:\/\/served\/ \(detailed\) {2}numbers computed .*, from refresh; last refresh worked/,
    );
    const unreachable = await runDeltaglider(
      ['cache', 'status', '--exporter', 'http://127.0.0.1:9'],
      env(),
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toBe(
      'deltaglider: error: no exporter answers at http://127.0.0.1:9\n',
    );
  });
});

describe('scrapes never wait for a refresh', () => {
  it('answers from the last result, with no S3 request, while a refresh crawls', async () => {
    // Debug logging too: every line it writes must still keep the secret out.
    const exporter = await startExporter(
      ['--endpoint-url', bed.proxy.endpoint, '--bucket', 'slow-served', '--interval', '1'],
      { ...env(), DG_LOG_LEVEL: 'debug' },
    );
    try {
      await eventually(
        async () => (await exporter.get('/metrics')).text(),
        (body) =>
          body.includes(
            'deltaglider_refreshes_total{bucket="slow-served",prefix="",mode="quick"} 1',
          ),
      );
      // Every request from now on waits 3 s (counted as it arrives): once the proxy has held
      // one and then seen nothing new for 300 ms, the refresh in flight is stuck for seconds.
      const delayed = bed.proxy.faultCounts().delay ?? 0;
      bed.proxy.setRules([{ fault: 'delay', delayMs: 3_000 }]);
      await eventually(
        async () => (bed.proxy.faultCounts().delay ?? 0) - delayed,
        (held) => held >= 1,
      );
      await quiet(bed.proxy, 300);
      const during = await eventually(
        async () => parse(await (await exporter.get('/metrics')).text()),
        (families) =>
          sample(families, 'deltaglider_refresh_in_progress', { bucket: 'slow-served' })?.value ===
          '1',
      );
      const before = bed.proxy.requestCounts();
      for (let scrape = 0; scrape < 5; scrape++) {
        const families = parse(await (await exporter.get('/metrics')).text());
        expect(sample(families, 'deltaglider_objects', { bucket: 'slow-served' })?.value).toBe(
          '13',
        );
      }
      await exporter.get('/');
      expect(bed.proxy.requestCounts()).toEqual(before); // the scrapes asked S3 nothing
      expect(
        sample(during, 'deltaglider_refresh_in_progress', { bucket: 'slow-served' })?.value,
      ).toBe('1');
    } finally {
      bed.proxy.setRules([]);
      const run = await exporter.stop();
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('deltaglider: info: stats computed'); // it did log
      expect(run.stderr).not.toContain(SECRET);
    }
  });
});

describe('stopping', () => {
  it('exits 0 on SIGTERM mid-refresh, leaving no cache half-written', async () => {
    await bed.server.createBucket('stopped');
    const store = testStoreAt(bed.server.endpoint);
    await loadFixtureBucket(store, 'stopped');
    bed.proxy.setRules([{ fault: 'delay', type: 'HEAD', delayMs: 2_000 }]);
    try {
      const exporter = await startExporter(
        ['--endpoint-url', bed.proxy.endpoint, '--bucket', 'stopped', '--mode', 'detailed'],
        env(),
      );
      await eventually(
        async () => parse(await (await exporter.get('/metrics')).text()),
        (families) =>
          sample(families, 'deltaglider_refresh_in_progress', { bucket: 'stopped' })?.value === '1',
      );
      const run = await exporter.stop();
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/deltaglider serve: stopped\n$/);
      expect(await store.head('stopped', '.deltaglider/stats_detailed.json')).toBeNull();
    } finally {
      bed.proxy.setRules([]);
    }
  });

  it('asks every scrape but /healthz for the bearer token DG_METRICS_TOKEN names', async () => {
    const exporter = await startExporter(
      ['--endpoint-url', bed.server.endpoint, '--bucket', 'served'],
      {
        ...env(),
        DG_METRICS_TOKEN: 'scrape-token-42',
      },
    );
    try {
      expect((await exporter.get('/metrics')).status).toBe(401);
      expect((await exporter.get('/')).status).toBe(401);
      const authorized = { headers: { authorization: 'Bearer scrape-token-42' } };
      expect((await exporter.get('/metrics', authorized)).status).toBe(200);
      expect((await exporter.get('/healthz')).status).toBe(200);
    } finally {
      expect((await exporter.stop()).code).toBe(0);
    }
  });

  it('refuses bad flags and config as usage errors (exit 2)', async () => {
    const config = join(work, 'serve.json');
    await writeFile(config, JSON.stringify({ targets: [{ bucket: 'served' }], colour: 'blue' }));
    for (const args of [
      ['serve'],
      ['serve', '--bucket', 'served', '--listen', 'nowhere'],
      ['serve', '--bucket', 'served', '--interval', '0'],
      ['serve', '--config', config],
      ['serve', '--config', join(work, 'missing.json')],
      ['serve', '--bucket', 'served', '--metrics-token', ' '],
    ]) {
      const run = await runDeltaglider(['--endpoint-url', bed.server.endpoint, ...args], env());
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});
