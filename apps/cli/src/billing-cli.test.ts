import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import { describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, useS3TestBed } from './test-support/s3-test-bed.js';

// What the bill counts beside the stats, as users run it: older versions and delete markers
// (`--versions`) on a versioned bucket, which the fault proxy plays in front of the server.

const bed = useS3TestBed();
const env = testCredentialsEnv;

describe('deltaglider stats --versions', () => {
  it('prints older versions, delete markers and the billed total, in every format', async () => {
    await bed.server.createBucket('billed');
    bed.proxy.setRules([{ fault: 'versioned' }]);
    const store = createS3ObjectStore({
      endpoint: bed.proxy.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    await store.put('billed', 'app/reference.bin', new Uint8Array(1000));
    await store.put('billed', 'app/v1.zip.delta', new Uint8Array(40));
    await store.put('billed', 'app/v1.zip.delta', new Uint8Array(45));
    await store.put('billed', 'app/v2.zip.delta', new Uint8Array(50));
    await store.delete('billed', 'app/v2.zip.delta');
    const s3 = ['--endpoint-url', bed.proxy.endpoint];

    const json = await runDeltaglider(
      [...s3, 'stats', 'billed', '--versions', '--by-deltaspace', '--no-cache', '--json'],
      env,
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).billing).toEqual({
      billed_bytes: 1045 + 90,
      listed_bytes: 1045,
      versions: {
        listed: true,
        noncurrent_versions: 2,
        noncurrent_bytes: 90,
        delete_markers: 1,
        deltaspaces: [
          { deltaspace: 'app', noncurrent_versions: 2, noncurrent_bytes: 90, delete_markers: 1 },
        ],
      },
      uploads: null,
    });

    const human = await runDeltaglider([...s3, 'stats', 'billed', '--versions', '--no-cache'], env);
    expect(human.stdout).toMatch(
      /Versions\s+2 {2}older version\(s\), 90 bytes, and 1 delete marker/,
    );
    expect(human.stdout).toMatch(/frees nothing until its older versions expire/);
    expect(human.stdout).toMatch(/Billed\s+1\.1 KiB\s+\(1,135 bytes\)/);

    const metrics = await runDeltaglider(
      [...s3, 'stats', 'billed', '--versions', '--no-cache', '--format', 'prometheus'],
      env,
    );
    expect(metrics.stdout).toMatch(/^deltaglider_billed_bytes\{[^}]*\} 1135$/m);
    expect(metrics.stdout).toMatch(/^deltaglider_noncurrent_version_bytes\{[^}]*\} 90$/m);
    expect(metrics.stdout).toMatch(/^deltaglider_delete_markers\{[^}]*\} 1$/m);

    // Without --versions the bill is the listing's; the human report says nothing of versions.
    const plain = JSON.parse(
      (await runDeltaglider([...s3, 'stats', 'billed', '--no-cache', '--json'], env)).stdout,
    );
    expect(plain.billing).toEqual({
      billed_bytes: 1045,
      listed_bytes: 1045,
      versions: null,
      uploads: null,
    });
  });

  it('says where the store keeps no versions and no uploads (file://), and aborts nothing there', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dg-billing-'));
    try {
      const local = ['--endpoint-url', pathToFileURL(root).href];
      await mkdir(join(root, 'plain'));
      const human = await runDeltaglider(
        [...local, 'stats', 'plain', '--versions', '--uploads', '--no-cache'],
        env,
      );
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/Versions: this store keeps no older versions/);
      expect(human.stdout).toMatch(/Uploads: this store has no multipart uploads/);
      const rm = await runDeltaglider(
        [...local, 'rm', '--incomplete-uploads', '--older-than', '0', 's3://plain/'],
        env,
      );
      expect(rm.code).toBe(0);
      expect(rm.stderr).toMatch(/this store has no multipart uploads: nothing to abort/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('estimates the monthly cost at a preset or given prices, in every format', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dg-cost-'));
    try {
      const local = ['--endpoint-url', pathToFileURL(root).href];
      await mkdir(join(root, 'priced'));
      await writeFile(join(root, 'notes.txt'), 'x'.repeat(1000));
      expect(
        (await runDeltaglider([...local, 'cp', join(root, 'notes.txt'), 's3://priced/'], env)).code,
      ).toBe(0);
      const json = JSON.parse(
        (
          await runDeltaglider(
            [...local, 'stats', 'priced', '--price-preset', 'aws-us-east-1', '--json'],
            env,
          )
        ).stdout,
      );
      const stored = Math.round((1000 / 2 ** 30) * 0.023 * 10_000) / 10_000;
      expect(json.cost).toEqual({
        prices: 'aws-us-east-1',
        currency: 'USD',
        stored,
        without_deltas: stored,
        saved: 0,
        unpriced_classes: [],
      });
      const metrics = await runDeltaglider(
        [...local, 'stats', 'priced', '--price', 'STANDARD=1000', '--format', 'prometheus'],
        env,
      );
      const perMonth = Math.round((1000 / 2 ** 30) * 1000 * 10_000) / 10_000;
      expect(metrics.stdout).toContain(
        `deltaglider_estimated_monthly_cost_dollars{bucket="priced",prefix="",kind="stored",currency="USD"} ${perMonth}`,
      );
      const human = await runDeltaglider(
        [...local, 'stats', 'priced', '--price', 'STANDARD=1000'],
        env,
      );
      expect(human.stdout).toMatch(/Cost\s+\$0\.0009\s+a month stored, \$0\.0009 without deltas/);
      const bad = await runDeltaglider([...local, 'stats', 'priced', '--price', 'GLACIER=1'], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--price: prices need STANDARD=/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('prints the daily history and the month average (stats --history), human and JSON', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dg-history-cli-'));
    try {
      const local = ['--endpoint-url', pathToFileURL(root).href];
      await mkdir(join(root, 'daily'));
      const empty = await runDeltaglider([...local, 'stats', 'daily', '--history'], env);
      expect(empty.stdout).toMatch(
        /none yet: each computed `deltaglider stats` of the whole bucket adds its day/,
      );
      await writeFile(join(root, 'notes.txt'), 'x'.repeat(1000));
      await runDeltaglider([...local, 'cp', join(root, 'notes.txt'), 's3://daily/'], env);
      const before = new Date().toISOString().slice(0, 10);
      expect((await runDeltaglider([...local, 'stats', 'daily'], env)).code).toBe(0);
      const json = JSON.parse(
        (await runDeltaglider([...local, 'stats', 'daily', '--history', '--json'], env)).stdout,
      );
      // The day the stats ran (a run across midnight UTC has the later one).
      const today = json.points[0]?.date;
      expect([before, new Date().toISOString().slice(0, 10)]).toContain(today);
      expect(json.points).toEqual([
        { date: today, stored: 1000, original: 1000, billed: 1000, objects: 1 },
      ]);
      expect(json.monthly_average).toMatchObject({ month: today.slice(0, 7), stored_bytes: 1000 });
      const human = await runDeltaglider([...local, 'stats', 'daily', '--history'], env);
      expect(human.stdout).toContain(`  ${today}`);
      expect(human.stdout).toMatch(
        /1,000 bytes\) stored a day on average|stored a day on average over 1 day/,
      );
      const prefix = await runDeltaglider([...local, 'stats', 's3://daily/app/', '--history'], env);
      expect(prefix.code).toBe(2);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('is refused with --inventory (exit 2): a report says what it lists itself', async () => {
    const run = await runDeltaglider(
      ['stats', 'b', '--inventory', 'file:///nowhere', '--versions'],
      env,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--versions/);
  });
});
