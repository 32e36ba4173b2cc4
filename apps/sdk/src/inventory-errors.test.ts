import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError, InventoryError } from '@deltaglider/core';
import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import {
  directorySink,
  reportFolderOf,
  storeSink,
  writeInventoryReport,
} from '@deltaglider/test-fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';

// A bad inventory is refused with one message that names the file at fault; nothing is guessed.

const createdAt = new Date(Date.UTC(2026, 11, 1, 1, 0));
const folder = reportFolderOf(createdAt);
const entries = Array.from({ length: 40 }, (_, index) => ({
  key: `app/v${index}.zip${index === 0 ? '' : '.delta'}`.replace('v0.zip', 'reference.bin'),
  size: 100 + index,
  etag: `e${index}`,
}));

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dg-inventory-errors-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const client = createClient({ localStatsCache: false });
const statsOf = (directory = root, options: { date?: string } = {}) =>
  client.getInventoryStats('b', { inventory: pathToFileURL(directory).href, ...options });
const md5 = (bytes: Uint8Array | string) => createHash('md5').update(bytes).digest('hex');

async function writeReport(format: 'CSV' | 'Parquet' = 'CSV', sourceBucket = 'b') {
  await writeInventoryReport(
    directorySink(root),
    { sourceBucket, configPrefix: '', format, createdAt, rowsPerFile: 20 },
    entries,
  );
}

async function dataFiles(): Promise<string[]> {
  return (await readdir(join(root, 'data'))).map((name) => join(root, 'data', name));
}

/** Changes the manifest and writes a checksum that matches the change. */
async function rewriteManifest(change: (manifest: Record<string, unknown>) => void) {
  const path = join(root, folder, 'manifest.json');
  const manifest = JSON.parse(await readFile(path, 'utf8'));
  change(manifest);
  const text = JSON.stringify(manifest);
  await writeFile(path, text);
  await writeFile(join(root, folder, 'manifest.checksum'), md5(text));
}

/** Declares a data file's current bytes in the manifest, so only its content is at fault. */
async function acceptDataFiles() {
  const files = await dataFiles();
  const sums = new Map(
    await Promise.all(files.map(async (path) => [path, md5(await readFile(path))] as const)),
  );
  await rewriteManifest((manifest) => {
    for (const file of manifest.files as { key: string; MD5checksum: string }[]) {
      const path = [...sums.keys()].find((candidate) =>
        candidate.endsWith(file.key.split('/').pop()!),
      );
      file.MD5checksum = sums.get(path!)!;
    }
  });
}

async function refusal(promise: Promise<unknown>): Promise<InventoryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(InventoryError.isInstance(error), String(error)).toBe(true);
  return error as InventoryError;
}

describe('a bad S3 Inventory', () => {
  it('without a report folder, or without the date asked for', async () => {
    expect((await refusal(statsOf())).message).toMatch(/no report folder \(YYYY-MM-DDTHH-MMZ\/\)/);
    await writeReport();
    expect((await refusal(statsOf(root, { date: '2026-11-30' }))).message).toMatch(
      /no report of 2026-11-30 here \(the latest is 2026-12-01T01-00Z\)/,
    );
    await expect(statsOf(root, { date: 'last week' })).rejects.toThrow(/neither a day/);
  });

  it('without its manifest, or with a manifest its checksum does not match', async () => {
    await writeReport();
    await writeFile(join(root, folder, 'manifest.json'), '{"sourceBucket":"b"}');
    const mismatch = await refusal(statsOf());
    expect(mismatch.file).toBe(pathToFileURL(join(root, folder, 'manifest.json')).href);
    expect(mismatch.message).toMatch(/its MD5 is [0-9a-f]{32} but manifest.checksum says/);
    await rm(join(root, folder, 'manifest.json'));
    expect((await refusal(statsOf())).message).toMatch(/manifest\.json: missing/);
  });

  it('with a schema without Size, in ORC, or of another bucket', async () => {
    await writeReport();
    await rewriteManifest((manifest) => {
      manifest.fileSchema = 'Bucket, Key, ETag';
    });
    expect((await refusal(statsOf())).message).toMatch(/fileSchema has no Size column/);
    await rewriteManifest((manifest) => {
      manifest.fileFormat = 'ORC';
    });
    expect((await refusal(statsOf())).message).toMatch(/ORC format.*CSV or Apache Parquet/);
    await rm(root, { recursive: true });
    await writeReport('CSV', 'other');
    expect((await refusal(statsOf())).message).toMatch(/inventory of bucket other, not of b/);
  });

  it.each(['CSV', 'Parquet'] as const)('with a truncated %s data file', async (format) => {
    await writeReport(format);
    const [first] = await dataFiles();
    await truncate(first!, Math.floor((await readFile(first!)).length / 2));
    await acceptDataFiles();
    const error = await refusal(statsOf());
    expect(error.file).toBe(pathToFileURL(first!).href);
    expect(error.message).toMatch(
      format === 'CSV' ? /cannot be read as gzipped CSV \(unexpected end of file\)/ : /Parquet/,
    );
  });

  it('with a data file that is not the one the manifest lists, or is missing', async () => {
    await writeReport();
    const [first, second] = await dataFiles();
    await writeFile(first!, await readFile(second!));
    const error = await refusal(statsOf());
    expect(error.file).toBe(pathToFileURL(first!).href);
    expect(error.message).toMatch(/its MD5 is [0-9a-f]{32} but the manifest says/);
    await rm(first!);
    expect((await refusal(statsOf())).message).toMatch(
      /the data file data\/.*\.csv\.gz the manifest lists is not under/,
    );
  });

  it.each(['CSV', 'Parquet'] as const)(
    'with a %s data file in the bucket that is not the one the manifest lists',
    async (format) => {
      // Read through the store: CSV is hashed as it is decoded, Parquet as it is downloaded.
      const store = createMemoryObjectStore();
      await store.createBucket('inventories');
      await writeInventoryReport(
        storeSink(store, 'inventories'),
        { sourceBucket: 'b', configPrefix: '', format, createdAt, rowsPerFile: 20 },
        entries,
      );
      const keys = (await store.list('inventories', { prefix: 'data/' })).objects.map(
        (object) => object.key,
      );
      const second = await store.get('inventories', keys[1]!);
      const chunks: Uint8Array[] = [];
      for await (const chunk of second!.body) chunks.push(chunk);
      await store.put('inventories', keys[0]!, new Uint8Array(Buffer.concat(chunks)));
      const error = await refusal(
        createClient({ store, localStatsCache: false }).getInventoryStats('b', {
          inventory: 's3://inventories/',
        }),
      );
      expect(error.file).toBe(`s3://inventories/${keys[0]}`);
      expect(error.message).toMatch(/its MD5 is [0-9a-f]{32} but the manifest says/);
    },
  );

  it('named by a URL that is neither s3:// nor file://', async () => {
    await expect(client.getInventoryStats('b', { inventory: 'http://x/inv/' })).rejects.toThrow(
      InvalidArgumentError,
    );
  });
});
