import type { ListPage, ObjectStore, ObjectSummary } from '@deltaglider/core';
import {
  compareKeys,
  encodeListCursor,
  resolveListPosition,
  resolveMaxKeys,
} from '@deltaglider/core/adapter-kit';
import { createMemoryObjectStore } from '@deltaglider/memory-adapter';

/**
 * A bucket shaped as issue 26 describes the large ones: deltaspaces of 1,000-10,000 objects
 * (most of it), one flat directory of 200,000, a deep tree of 50,000. Keys live in one sorted
 * array (about 70 MB for a million); sizes and ETags are computed. Delimiter listings skip a
 * directory in one step, as S3 does, so finding cut points costs what it costs on a server.
 * Writes (the stats cache) go to a small memory store merged into the listing. It answers at
 * once; `withLatency` adds the round trip.
 */
export function createMixedObjectStore(bucket: string, objects: number): ObjectStore {
  const written = createMemoryObjectStore({ buckets: [bucket] });
  const keys = mixedKeys(objects);
  const lastModified = new Date('2026-01-01T00:00:00Z');
  const summaryAt = (index: number): ObjectSummary => {
    const key = keys[index] as string;
    const size = key.endsWith('reference.bin')
      ? 50_000_000
      : key.endsWith('.delta')
        ? 40_000
        : 1_000_000;
    return { key, size, etag: `"${index.toString(16).padStart(32, '0')}"`, lastModified };
  };
  /** The first index whose key sorts strictly after `key`. */
  const firstAfter = (key: string): number => {
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareKeys(keys[middle] as string, key) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  async function listGenerated(
    options: Parameters<ObjectStore['list']>[1] = {},
  ): Promise<ListPage> {
    const { prefix, startAfter } = resolveListPosition(options);
    const maxKeys = resolveMaxKeys(options.maxKeys);
    const delimiter = options.delimiter || undefined;
    const objectsOut: ObjectSummary[] = [];
    const commonPrefixes: string[] = [];
    let index = firstAfter(compareKeys(startAfter, prefix) > 0 ? startAfter : prefix);
    let last: string | undefined;
    while (index < keys.length && objectsOut.length + commonPrefixes.length < maxKeys) {
      const key = keys[index] as string;
      if (!key.startsWith(prefix)) break;
      const cut = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
      if (cut >= 0) {
        const common = key.slice(0, cut + 1);
        // Every key under it at once: the next index past the directory.
        index = firstAfter(`${common}\u{10ffff}`);
        if (compareKeys(common, startAfter) <= 0) continue;
        commonPrefixes.push(common);
        last = common;
        continue;
      }
      objectsOut.push(summaryAt(index));
      last = key;
      index++;
    }
    const more = index < keys.length && (keys[index] as string).startsWith(prefix);
    return {
      objects: objectsOut,
      commonPrefixes,
      ...(more && last !== undefined ? { nextCursor: encodeListCursor(last) } : {}),
    };
  }

  return {
    capabilities: written.capabilities,
    head: (b, key, options) => written.head(b, key, options),
    get: (b, key, options) => written.get(b, key, options),
    put: (b, key, body, options) => written.put(b, key, body, options),
    delete: (b, key, options) => written.delete(b, key, options),
    async list(b, options) {
      // The cache the stats call writes lands under .deltaglider/, before every generated key.
      const generated = await listGenerated(options);
      const { prefix, startAfter } = resolveListPosition(options);
      const stored = await written.list(b, {
        prefix,
        startAfter,
        delimiter: options?.delimiter,
        maxKeys: options?.maxKeys,
        signal: options?.signal,
      });
      if (stored.objects.length === 0 && stored.commonPrefixes.length === 0) return generated;
      const merge = <T>(a: readonly T[], c: readonly T[], keyOf: (item: T) => string) =>
        [...a, ...c].sort((x, y) => compareKeys(keyOf(x), keyOf(y)));
      return {
        ...generated,
        objects: merge(generated.objects, stored.objects, (o) => o.key),
        commonPrefixes: [
          ...new Set(merge(generated.commonPrefixes, stored.commonPrefixes, (p) => p)),
        ],
      };
    },
  };
}

/** The keys, sorted: 75 % deltaspaces, 20 % one flat directory, 5 % a deep tree. */
export function mixedKeys(objects: number): string[] {
  const keys: string[] = [];
  const flat = Math.round(objects * 0.2);
  const deep = Math.round(objects * 0.05);
  let inDeltaspaces = objects - flat - deep;
  for (let space = 0; inDeltaspaces > 0; space++) {
    // 1,000 to 10,000 per deltaspace, varied but repeatable.
    const size = Math.min(inDeltaspaces, 1000 + ((space * 7919) % 9001));
    const name = `releases/app-${String(space).padStart(4, '0')}`;
    keys.push(`${name}/reference.bin`);
    for (let version = 1; version < size; version++)
      keys.push(`${name}/app-${String(version).padStart(5, '0')}.zip.delta`);
    inDeltaspaces -= size;
  }
  for (let index = 0; index < flat; index++)
    keys.push(`flat/object-${String(index).padStart(7, '0')}.bin`);
  for (let index = 0; index < deep; index++)
    keys.push(`deep/${index % 7}/${index % 13}/${index % 17}/${index % 5}/file-${index}.txt`);
  return keys.sort(compareKeys);
}
