import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { factsKeyOf, isInternalKey, listAllObjects, type ObjectStore } from '@deltaglider/core';
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

/**
 * Writes the listing-facts entry deltaglider_proxy 2.0 would keep for every delta in a bucket
 * (`.dg/facts/…`, zero bytes), from the listed ETag and size and the delta's `dg-file-size`.
 * The original's ETag stands in as the first 32 hex digits of its SHA-256 (the proxy's is its
 * MD5, which the metadata does not carry). `originalSize` overrides what an entry says.
 */
export async function addProxyListingFacts(
  store: ObjectStore,
  bucket: string,
  options: { originalSize?: ((key: string, metadataSize: number) => number) | undefined } = {},
): Promise<string[]> {
  const written: string[] = [];
  for await (const page of listAllObjects(store, bucket)) {
    for (const object of page) {
      if (!object.key.endsWith('.delta') || isInternalKey(object.key)) continue;
      const head = await store.head(bucket, object.key);
      const metadataSize = Number(head?.metadata['dg-file-size']);
      const factsKey = factsKeyOf({
        storedKey: object.key,
        storedEtag: object.etag,
        storedSize: object.size,
        originalSize: options.originalSize?.(object.key, metadataSize) ?? metadataSize,
        originalEtag: (head?.metadata['dg-file-sha256'] ?? '').slice(0, 32),
      });
      if (factsKey === undefined) continue;
      await store.put(bucket, factsKey, new Uint8Array(0));
      written.push(factsKey);
    }
  }
  return written;
}
