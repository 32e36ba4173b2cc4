import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';
import { type Browser, launchHeadlessChromium } from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, testStoreAt, useS3TestBed } from './test-support/s3-test-bed.js';
import { type RunningExporter, startExporter } from './test-support/start-exporter.js';

// The exporter's status page as a person sees it, in Debian's headless Chromium (.ci/run
// installs it): the numbers, the per-deltaspace rows, the chart; a screenshot goes to
// test-output/ for a human to look at.

const screenshots = fileURLToPath(new URL('../test-output/', import.meta.url));
const bed = useS3TestBed();
let work: string;
let exporter: RunningExporter;
let browser: Browser;
const env = () => ({ ...testCredentialsEnv, DG_CACHE_DIR: join(work, 'cache') });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dg-page-'));
  await bed.server.createBucket('pages');
  const store = testStoreAt(bed.server.endpoint);
  await loadFixtureBucket(store, 'pages');
  // What the documented alerts call critical: a reference no delta uses, a delta without one.
  await store.put('pages', 'orphans/reference.bin', new Uint8Array(4096));
  await store.put('pages', 'lost/app-9.zip.delta', new Uint8Array(512), {
    metadata: { 'dg-file-size': '100000' },
  });
  exporter = await startExporter(
    ['--endpoint-url', bed.server.endpoint, '--bucket', 'pages', '--mode', 'detailed'],
    env(),
  );
  for (let attempt = 0; attempt < 200; attempt++) {
    const metrics = await (await exporter.get('/metrics')).text();
    if (metrics.includes('deltaglider_refreshes_total{bucket="pages",prefix="",mode="detailed"} 1'))
      break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  browser = await launchHeadlessChromium();
});
afterAll(async () => {
  await browser?.close();
  await exporter?.stop();
  await rm(work, { recursive: true, force: true });
});

it('shows the totals, one row per deltaspace with its grade, and a chart', async () => {
  const stats = JSON.parse(
    (
      await runDeltaglider(
        [
          '--endpoint-url',
          bed.server.endpoint,
          'stats',
          'pages',
          '--detailed',
          '--by-deltaspace',
          '--json',
        ],
        env(),
      )
    ).stdout,
  ) as { object_count: number; deltaspaces: { deltaspace: string; health: string | null }[] };
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(exporter.url);

  await expect(page.locator('h2').first().textContent()).resolves.toBe('s3://pages/ (detailed)');
  const objects = await page.locator('[data-field="objects"]').textContent();
  expect(objects).toMatch(new RegExp(`^${stats.object_count} \\(`));
  expect(await page.locator('[data-field="saved"]').textContent()).toMatch(/%\)$/);

  // Unrecoverable deltas and orphaned references: a red banner above the numbers.
  const banner = page.locator('section .critical[role="alert"]');
  await expect(banner.isVisible()).resolves.toBe(true);
  const warning = (await banner.textContent()) ?? '';
  expect(warning).toContain('1 unrecoverable delta(s)');
  expect(warning).toMatch(/cannot be rebuilt \(in lost\/?\)/);
  expect(warning).toContain('orphans/reference.bin');
  const colour = await banner.evaluate(
    (element) =>
      (
        globalThis as unknown as { getComputedStyle(e: unknown): { borderTopColor: string } }
      ).getComputedStyle(element).borderTopColor,
  );
  expect(colour).toBe('rgb(179, 38, 30)');
  expect(await page.locator('[data-field="health"]').textContent()).toMatch(/, \d+ no reference$/);

  const rows = page.locator('table.deltaspaces tbody tr');
  await expect(rows.count()).resolves.toBe(stats.deltaspaces.length);
  const firstCells = await rows.evaluateAll((trs) =>
    trs.map((tr) => [tr.children[0]?.textContent, tr.children[7]?.textContent]),
  );
  for (const space of stats.deltaspaces)
    expect(firstCells).toContainEqual([
      space.deltaspace || '(top level)',
      space.health ?? 'no reference',
    ]);

  const chart = page.locator('svg.savings-chart');
  await expect(chart.isVisible()).resolves.toBe(true);
  await expect(chart.locator('rect').count()).resolves.toBe(stats.deltaspaces.length);
  const box = await chart.boundingBox();
  expect(box?.width).toBeGreaterThan(300);

  await mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, 'status-page.png'), fullPage: true });
  expect(existsSync(join(screenshots, 'status-page.png'))).toBe(true);
  await page.close();
});
