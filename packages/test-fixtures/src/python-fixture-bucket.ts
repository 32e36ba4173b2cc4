import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ObjectStore } from '@deltaglider/core';
import { z } from 'zod';

/** Buckets exported object by object from the Python DeltaGlider (see __fixtures__/README.md). */
export const pythonFixtureBuckets = ['python-6.1.2-bucket-a'] as const;
export type PythonFixtureBucket = (typeof pythonFixtureBuckets)[number];

const fixtureIndexSchema = z.array(
  z.object({
    key: z.string(),
    size: z.int().nonnegative(),
    etag: z.string(),
    content_type: z.string(),
    metadata: z.record(z.string(), z.string()),
  }),
);
export type FixtureObject = z.infer<typeof fixtureIndexSchema>[number];

// dist/index.js and src/*.ts both sit one level below the package root.
const fixturesRoot = new URL('../src/__fixtures__/', import.meta.url);

export async function readFixtureIndex(name: PythonFixtureBucket): Promise<FixtureObject[]> {
  const text = await readFile(new URL(`${name}/index.json`, fixturesRoot), 'utf8');
  return fixtureIndexSchema.parse(JSON.parse(text));
}

export async function readFixtureObject(
  name: PythonFixtureBucket,
  key: string,
): Promise<Uint8Array> {
  return readFile(new URL(`${name}/objects/${key}`, fixturesRoot));
}

export function fixtureObjectPath(name: PythonFixtureBucket, key: string): string {
  return fileURLToPath(new URL(`${name}/objects/${key}`, fixturesRoot));
}

/** Writes every object of a fixture bucket, bytes, content type and metadata as exported. */
export async function loadFixtureBucket(
  store: ObjectStore,
  bucket: string,
  name: PythonFixtureBucket = 'python-6.1.2-bucket-a',
): Promise<FixtureObject[]> {
  const objects = await readFixtureIndex(name);
  for (const object of objects) {
    await store.put(bucket, object.key, await readFixtureObject(name, object.key), {
      contentType: object.content_type,
      metadata: object.metadata,
    });
  }
  return objects;
}

/** Stats caches other tools write to `.deltaglider/stats_{mode}.json` (see __fixtures__/foreign-caches). */
export const foreignStatsCaches = {
  'deltaglider-proxy-2.0': 'deltaglider-proxy-2.0-stats_quick.json',
  'python-1.0': 'python-1.0-stats_quick.json',
} as const;
export type ForeignStatsCache = keyof typeof foreignStatsCaches;

/** A foreign stats cache, byte for byte. */
export async function readForeignStatsCache(name: ForeignStatsCache): Promise<Uint8Array> {
  return readFile(new URL(`foreign-caches/${foreignStatsCaches[name]}`, fixturesRoot));
}
