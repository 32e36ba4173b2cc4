import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFsObjectStore } from '@deltaglider/fs-adapter';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';

// Day-one-hundred commands, run as a user would from the README, on a file:// store.

let root: string;
let dg: (...args: string[]) => ReturnType<typeof runDeltaglider>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dg-operator-'));
  const store = createFsObjectStore({ root });
  await store.createBucket('ops');
  await loadFixtureBucket(store, 'ops');
  dg = (...args) => runDeltaglider(['--endpoint-url', `file://${root}`, ...args]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('cache status and cache clear', () => {
  it('reports missing, then fresh after stats, stale after an upload, and clears', async () => {
    expect((await dg('cache', 'status', 'ops')).stdout).toMatch(/quick\s+missing/);
    await dg('stats', 'ops');
    const fresh = await dg('cache', 'status', 'ops');
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/quick\s+fresh\s+computed (just now|\d+ s ago)/);
    expect(fresh.stdout).toMatch(/detailed\s+missing/);

    await writeFile(join(root, 'notes.txt'), 'new file');
    await dg('cp', join(root, 'notes.txt'), 's3://ops/docs/');
    const stale = JSON.parse((await dg('cache', 'status', 'ops', '--json')).stdout);
    expect(stale[0]).toMatchObject({
      mode: 'quick',
      state: 'stale',
      reason: 'object count changed (16 -> 17)',
    });

    const cleared = await dg('cache', 'clear', 'ops');
    expect(cleared.stdout).toBe('delete: s3://ops/.deltaglider/stats_quick.json\n');
    expect((await dg('cache', 'status', 'ops')).stdout).toMatch(/quick\s+missing/);
    expect((await dg('cache', 'clear', 'ops', '--mode', 'sampled')).stdout).toBe(
      'no cache to clear\n',
    );
  });
});

describe('dashboards', () => {
  it('prints Prometheus text a standard parser reads, labelled by bucket and prefix, with health gauges', async () => {
    const run = await dg('stats', 'ops', '--format', 'prometheus', '--no-cache');
    expect(run.code).toBe(0);
    const families = parsePrometheusTextFormat(run.stdout) as {
      name: string;
      metrics: { value: string; labels: Record<string, string> }[];
    }[];
    const value = (name: string) => families.find((family) => family.name === name)?.metrics[0];
    expect(value('deltaglider_objects')).toEqual({
      value: '14',
      labels: { bucket: 'ops', prefix: '' },
    });
    expect(Number(value('deltaglider_stored_bytes')?.value)).toBeGreaterThan(202_779);
    expect(Number(value('deltaglider_savings_ratio')?.value)).toBeGreaterThan(0.5);
    const health = families.find((family) => family.name === 'deltaglider_deltaspaces');
    expect(health?.metrics.map((metric) => metric.labels.health)).toEqual([
      'excellent',
      'good',
      'fair',
      'poor',
      'no_reference',
    ]);
    const graded = health?.metrics.reduce((sum, metric) => sum + Number(metric.value), 0);
    expect(graded).toBeGreaterThan(0);
    expect(
      families
        .filter(
          (family) =>
            !['deltaglider_deltaspaces', 'deltaglider_delta_originals'].includes(family.name),
        )
        .every((family) => family.metrics.length === 1),
    ).toBe(true);

    // Stats of a prefix carry it as a label, so they never collide with the whole bucket's.
    const ofPrefix = await dg('stats', 's3://ops/releases/', '--format', 'prometheus');
    expect(ofPrefix.stdout).toContain('deltaglider_objects{bucket="ops",prefix="releases/"}');
  });

  it('repeats with --watch, from the cache, until interrupted, then exits 0', async () => {
    const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [bin, '--endpoint-url', `file://${root}`, 'stats', 'ops', '--json', '--watch', '0.2'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    // Two whole reports, however long a busy machine takes (the file's timeout bounds it).
    const twoReports = () => {
      try {
        return stdout.split(/\n(?=\{)/).map((text) => JSON.parse(text)).length >= 2;
      } catch {
        return false;
      }
    };
    while (!twoReports()) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const reports = stdout.split(/\n(?=\{)/).map((text) => JSON.parse(text));
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports.at(-1).cache.status).toBe('hit');
  });

  it('refuses --json with another --format, and a non-positive --watch', async () => {
    expect((await dg('stats', 'ops', '--json', '--format', 'prometheus')).code).toBe(2);
    expect((await dg('stats', 'ops', '--watch', '0')).stderr).toContain(
      '--watch must be a number above 0',
    );
  });
});

describe('stats --by-deltaspace', () => {
  it('adds a table of deltaspaces, most saved first', async () => {
    const run = await dg('stats', 'ops', '--detailed', '--by-deltaspace', '--no-cache');
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => /^ {2}(releases|\(root\))/.test(line));
    expect(rows.map((row) => row.trim().split(/\s+/)[0])).toEqual([
      'releases/app',
      'releases/lib',
      '(root)',
    ]);
    expect(run.stdout).toMatch(
      /Deltaspace\s+Deltas\s+Reference\s+Original\s+Stored\s+Saved\s+Ratio/,
    );
  });
});

describe('shell completion and help', () => {
  it('prints a completion script and help with examples for every command', async () => {
    const completion = await dg('completion');
    expect(completion.code).toBe(0);
    expect(completion.stdout).toContain('deltaglider completion >> ~/.bashrc');
    for (const command of ['stats', 'cp', 'ls', 'rm', 'verify', 'cache']) {
      const help = await runDeltaglider([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Examples:');
    }
  });
});
