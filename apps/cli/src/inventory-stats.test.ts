import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listAllObjects } from '@deltaglider/core';
import {
  addProxyListingFacts,
  directorySink,
  type InventoryEntry,
  loadFixtureBucket,
  reportFolderOf,
  storeSink,
  writeInventoryReport,
} from '@deltaglider/test-fixtures';
import { startTestS3Server, type TestS3Server } from '@deltaglider/test-s3-server';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testStoreAt } from './test-support/s3-test-bed.js';
import { startExporter } from './test-support/start-exporter.js';

// `deltaglider stats --inventory`, run as users run it: a bucket deltaglider_proxy 2.0 wrote,
// its S3 Inventory in another bucket of the same server and in a local copy.

let server: TestS3Server;
let root: string;
const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
const createdAt = new Date(Date.UTC(2026, 11, 1, 1, 0));
const onS3 = (...args: string[]) => ['--endpoint-url', server.endpoint, ...args];

beforeAll(async () => {
  server = await startTestS3Server();
  root = await mkdtemp(join(tmpdir(), 'dg-cli-inventory-'));
  const s3 = testStoreAt(server.endpoint);
  await server.createBucket('releases');
  await server.createBucket('inventories');
  await loadFixtureBucket(s3, 'releases');
  await addProxyListingFacts(s3, 'releases');
  // What else real buckets hold: a delta without facts, an orphaned reference, deltas whose
  // reference is gone, and keys S3 Inventory URL-encodes.
  for (const [key, size] of [
    ['extra/reference.bin', 5000],
    ['extra/v2.zip.delta', 300],
    ['orphan/reference.bin', 700],
    ['lost/v1.zip.delta', 90],
    ['notes/a b+c.txt', 12],
    ['notes/100%.txt', 13],
  ] as const)
    await s3.put('releases', key, new Uint8Array(size));
  const entries: InventoryEntry[] = [];
  for await (const page of listAllObjects(s3, 'releases'))
    for (const object of page)
      entries.push({ key: object.key, size: object.size, etag: object.etag.replace(/"/g, '') });
  entries.reverse();
  const report = {
    sourceBucket: 'releases',
    configPrefix: 'inv/releases/daily/',
    format: 'Parquet' as const,
    createdAt,
    rowsPerFile: 10,
  };
  await writeInventoryReport(storeSink(s3, 'inventories'), report, entries);
  await writeInventoryReport(
    directorySink(join(root, 'copy')),
    { ...report, format: 'CSV' },
    entries,
  );
  await writeInventoryReport(directorySink(join(root, 'parquet')), report, entries);
});

afterAll(async () => {
  await server.stop();
  await rm(root, { recursive: true, force: true });
});

/** The numbers of a `--json` document, without where they came from. */
function numbersOf(document: Record<string, unknown>) {
  const { cache: _c, source: _s, as_of: _a, inventory: _i, ...numbers } = document;
  return numbers;
}

describe('deltaglider stats --inventory', () => {
  it('prints what a listing prints, as of the report, from S3 and from a local copy', async () => {
    const listed = await runDeltaglider(onS3('stats', 'releases', '--json', '--no-cache'), env);
    expect(listed.code).toBe(0);
    const listing = JSON.parse(listed.stdout);
    expect(listing).toMatchObject({
      source: 'listing',
      originals_from: { facts: 11, estimate: 1 },
      orphaned_references: [{ key: 'orphan/reference.bin' }],
      unrecoverable_deltas: 1,
    });
    for (const inventory of [
      's3://inventories/inv/releases/daily/',
      pathToFileURL(join(root, 'copy', 'inv', 'releases', 'daily')).href,
    ]) {
      const run = await runDeltaglider(
        onS3('stats', 'releases', '--inventory', inventory, '--json'),
        env,
      );
      // The deltas of lost/ have no reference: warned about, as a listing warns.
      expect(run.stderr).toMatch(
        /^deltaglider: warning: s3:\/\/releases\/lost\/ has 1 delta\(s\)[^\n]*\n$/,
      );
      expect(run.code).toBe(0);
      const document = JSON.parse(run.stdout);
      expect(numbersOf(document)).toEqual(numbersOf(listing));
      expect(document).toMatchObject({
        source: 'inventory',
        as_of: createdAt.toISOString(),
        cache: { status: 'disabled', written: false },
        inventory: { facts_objects: 11, noncurrent_versions: { objects: 0, bytes: 0 } },
      });
    }
    const human = await runDeltaglider(
      onS3('stats', 'releases', '--inventory', 's3://inventories/inv/releases/daily/'),
      env,
    );
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /Source {5}S3 Inventory report of 2026-12-01T01:00:00\.000Z \(\d+ (h|days) ago, not live\), read in .*: 33 rows in 4 Parquet file\(s\), s3:\/\/inventories\/inv\/releases\/daily\/2026-12-01T01-00Z\/manifest\.json/,
    );
    const prometheus = await runDeltaglider(
      onS3(
        'stats',
        'releases',
        '--inventory',
        's3://inventories/inv/releases/daily/',
        '--format',
        'prometheus',
      ),
      env,
    );
    expect(prometheus.stdout).toMatch(/deltaglider_delta_originals\{.*source="facts"\} 11/);
  });

  it('reads the report again on its own thread when it outgrows the heap cap', async () => {
    const inventory = pathToFileURL(join(root, 'parquet', 'inv', 'releases', 'daily')).href;
    const capped = await runDeltaglider(
      onS3('stats', 'releases', '--inventory', inventory, '--json'),
      { ...env, DG_INVENTORY_HEAP_MB: '1' },
    );
    expect(capped.code).toBe(0);
    expect(capped.stderr).toMatch(
      /warning: the inventory outgrew a 1 MB heap \(DG_INVENTORY_HEAP_MB\)/,
    );
    expect(JSON.parse(capped.stdout)).toMatchObject({ source: 'inventory', delta_objects: 12 });
    const bad = await runDeltaglider(onS3('stats', 'releases', '--inventory', inventory), {
      ...env,
      DG_INVENTORY_HEAP_MB: 'lots',
    });
    expect(bad.code).toBe(2);
  });

  it('refuses flags that need a listing, and --inventory-date alone, as usage errors', async () => {
    for (const args of [
      ['--inventory', 's3://inventories/inv/', '--detailed'],
      ['--inventory', 's3://inventories/inv/', '--refresh'],
      ['--inventory', 's3://inventories/inv/', '--mode', 'sampled'],
      ['--inventory-date', '2026-12-01'],
    ]) {
      const run = await runDeltaglider(onS3('stats', 'releases', ...args), env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('fails with one line naming the file when the inventory is bad', async () => {
    const damaged = join(root, 'damaged');
    await writeInventoryReport(
      directorySink(damaged),
      { sourceBucket: 'releases', configPrefix: '', format: 'CSV', createdAt },
      [{ key: 'a.txt', size: 1, etag: 'aa' }],
    );
    const checksum = join(damaged, reportFolderOf(createdAt), 'manifest.checksum');
    await writeFile(checksum, '0'.repeat(32));
    const run = await runDeltaglider(
      onS3('stats', 'releases', '--inventory', pathToFileURL(damaged).href),
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(
      `inventory ${pathToFileURL(join(damaged, reportFolderOf(createdAt), 'manifest.json')).href}: its MD5 is`,
    );
  });
});

/** A deltaspace as `stats --json --by-deltaspace` prints it (the fields compared). */
interface JsonDeltaspace {
  readonly deltaspace: string;
  readonly delta_objects: number;
  readonly unrecoverable_deltas: number;
  readonly reference_size: number;
  readonly stored_size: number;
  readonly original_size: number;
  readonly orphaned: boolean;
  readonly health: string | null;
  readonly originals_from: { readonly facts: number; readonly estimate: number };
}

describe('deltaglider stats --inventory --emit-sql', () => {
  it.each(['parquet', 'copy'])(
    'prints a DuckDB query whose every number is what stats --inventory --json says (%s)',
    async (copy) => {
      const inventory = pathToFileURL(join(root, copy, 'inv', 'releases', 'daily')).href;
      const sql = await runDeltaglider(
        onS3('stats', 'releases', '--inventory', inventory, '--emit-sql', 'duckdb'),
        env,
      );
      expect(sql.stderr).toBe('');
      expect(sql.code).toBe(0);
      const json = await runDeltaglider(
        onS3('stats', 'releases', '--inventory', inventory, '--json', '--by-deltaspace'),
        env,
      );
      const stats = JSON.parse(json.stdout);
      const db = await DuckDBInstance.create(':memory:');
      const connection = await db.connect();
      const rows = (await connection.runAndReadAll(sql.stdout)).getRowObjectsJS();
      connection.closeSync();
      const fromSql = rows.map((row) => {
        const unrecoverable = row.unrecoverable === true;
        return {
          deltaspace: row.deltaspace,
          delta_objects: unrecoverable ? 0 : Number(row.delta_objects),
          unrecoverable_deltas: unrecoverable ? Number(row.delta_objects) : 0,
          reference_size: Number(row.reference_bytes ?? 0),
          stored_size: Number(row.stored_bytes),
          orphaned: row.orphaned_reference,
          facts: unrecoverable ? 0 : Number(row.originals_from_facts),
          estimate: unrecoverable ? 0 : Number(row.deltas_without_facts),
          // Where every delta has facts, their originals are the whole original size.
          original_size:
            Number(row.deltas_without_facts) === 0 && !unrecoverable
              ? Number(row.original_bytes_from_facts)
              : undefined,
        };
      });
      const fromStats = [...stats.deltaspaces]
        .sort((a, b) => (a.deltaspace < b.deltaspace ? -1 : 1))
        .map((space: JsonDeltaspace) => ({
          deltaspace: space.deltaspace,
          delta_objects: space.delta_objects,
          unrecoverable_deltas: space.unrecoverable_deltas,
          reference_size: space.reference_size,
          stored_size: space.stored_size,
          orphaned: space.orphaned,
          facts: space.originals_from.facts,
          estimate: space.originals_from.estimate,
          original_size:
            space.originals_from.estimate === 0 && space.health !== 'no_reference'
              ? space.original_size
              : undefined,
        }));
      expect(fromSql).toEqual(fromStats);
      // The unusual deltaspaces are there, as the listing has them.
      expect(fromSql.map((row) => row.deltaspace)).toEqual(
        expect.arrayContaining(['extra', 'lost', 'orphan']),
      );
    },
  );

  it('prints an Athena query over the table and report partition, and refuses --sql-table elsewhere', async () => {
    const inventory = pathToFileURL(join(root, 'copy', 'inv', 'releases', 'daily')).href;
    const athena = await runDeltaglider(
      onS3(
        'stats',
        'releases',
        '--inventory',
        inventory,
        '--emit-sql',
        'athena',
        '--sql-table',
        'inv_releases',
      ),
      env,
    );
    expect(athena.code).toBe(0);
    expect(athena.stdout).toContain('FROM "inv_releases"');
    expect(athena.stdout).toContain("dt = '2026-12-01-01-00'");
    expect(athena.stdout).toContain('regexp_like(');
    for (const args of [
      ['--emit-sql', 'duckdb'],
      ['--inventory', inventory, '--emit-sql', 'duckdb', '--sql-table', 't'],
    ]) {
      const run = await runDeltaglider(onS3('stats', 'releases', ...args), env);
      expect(run.code, args.join(' ')).toBe(2);
    }
  });
});

describe('deltaglider serve with an inventory target', () => {
  it("exports the report's numbers, and a newer report's once it appears", async () => {
    const inventories = join(root, 'served');
    const daily = join(inventories, 'inv', 'releases', 'daily');
    const report = (day: number, entries: InventoryEntry[]) =>
      writeInventoryReport(
        directorySink(inventories),
        {
          sourceBucket: 'releases',
          configPrefix: 'inv/releases/daily/',
          format: 'CSV',
          createdAt: new Date(Date.UTC(2026, 11, day, 1, 0)),
        },
        entries,
      );
    const deltas = (count: number): InventoryEntry[] => [
      { key: 'app/reference.bin', size: 1000, etag: 'aa' },
      ...Array.from({ length: count }, (_, index) => ({
        key: `app/v${index}.zip.delta`,
        size: 10,
        etag: `e${index}`,
      })),
    ];
    await report(1, deltas(3));
    const config = join(root, 'serve.json');
    await writeFile(
      config,
      JSON.stringify({
        interval: 1,
        targets: [{ bucket: 'releases', inventory: pathToFileURL(daily).href }],
      }),
    );
    const exporter = await startExporter(onS3('--config', config), env);
    try {
      const deltaObjects = async () => {
        const text = await (await exporter.get('/metrics')).text();
        return /^deltaglider_delta_objects\{[^}]*bucket="releases"[^}]*\} (\d+)$/m.exec(text)?.[1];
      };
      await expect.poll(deltaObjects, { timeout: 20_000 }).toBe('3');
      await report(2, deltas(5));
      await expect.poll(deltaObjects, { timeout: 20_000 }).toBe('5');
    } finally {
      await exporter.stop();
    }
  });
});
