import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObjectStore } from '@deltaglider/core';
import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import { createDirectoryReferenceCache } from './reference-cache.js';
import { archiveVersions } from './test-support/archive-versions.js';

// cp -r runs files in parallel, yet every directory still gets one reference and deltas
// against it: its first archive goes alone, the rest follow together.

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const versions = archiveVersions(6, 300_000, 3);
let scratch: string;

/** A store that counts how many PUTs are in flight at once (each held for a moment). */
function countingStore(inner: ObjectStore) {
  const seen = { inFlight: 0, most: 0 };
  const store: ObjectStore = {
    ...inner,
    capabilities: inner.capabilities,
    async put(bucket, key, body, options) {
      seen.inFlight++;
      seen.most = Math.max(seen.most, seen.inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return await inner.put(bucket, key, body, options);
      } finally {
        seen.inFlight--;
      }
    },
  };
  return { store, seen };
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-parallel-'));
  for (const directory of ['a', 'b'])
    for (const [index, bytes] of versions.entries()) {
      await mkdir(join(scratch, 'tree', directory), { recursive: true });
      await writeFile(join(scratch, 'tree', directory, `app-${index}.zip`), bytes);
      await writeFile(join(scratch, 'tree', directory, `notes-${index}.txt`), `v${index}`);
    }
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.each([1, 4])('cp -r with concurrency %i', (concurrency) => {
  it('uploads every file, one reference per directory, and downloads them intact', async () => {
    const memory = createMemoryObjectStore();
    await memory.createBucket('par');
    const { store, seen } = countingStore(memory);
    const client = createClient({
      store,
      referenceCache: createDirectoryReferenceCache(join(scratch, `cache-${concurrency}`)),
    });

    const up = await client.uploadDirectory(join(scratch, 'tree'), 'par', 'rel/', {
      concurrency,
    });

    expect(up).toEqual({ done: 24, failed: 0, skipped: 0 });
    expect(seen.most).toBeLessThanOrEqual(concurrency * 2);
    if (concurrency > 1) expect(seen.most).toBeGreaterThan(1);
    else expect(seen.most).toBe(1);
    const keys = (await store.list('par', { prefix: 'rel/' })).objects.map((object) => object.key);
    for (const directory of ['a', 'b']) {
      expect(keys.filter((key) => key === `rel/${directory}/reference.bin`)).toHaveLength(1);
      const deltas = keys.filter((key) => key.startsWith(`rel/${directory}/app-`));
      expect(deltas).toEqual(versions.map((_, index) => `rel/${directory}/app-${index}.zip.delta`));
    }

    const down = join(scratch, `down-${concurrency}`);
    const back = await client.downloadDirectory('par', 'rel/', down, { concurrency });
    expect(back).toEqual({ done: 24, failed: 0, skipped: 0 });
    for (const [index, bytes] of versions.entries())
      expect(sha256(await readFile(join(down, 'b', `app-${index}.zip`)))).toBe(sha256(bytes));
  });
});
