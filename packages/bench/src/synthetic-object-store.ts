import type { ListPage, ObjectStore, ObjectSummary } from '@deltaglider/core';
import {
  buildListPage,
  compareKeys,
  resolveListPosition,
  resolveMaxKeys,
} from '@deltaglider/core/adapter-kit';
import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { type CorpusShape, corpusEntry } from './delta-corpus.js';

/**
 * A bucket of millions of objects that exist only as a formula: listings and HEADs are computed
 * from the corpus, so the store itself holds almost nothing and the process's memory is the
 * client's. Writes (the stats caches) go to a small memory store merged into the listing.
 * It answers at once; `withLatency` adds the round trip.
 */
export function createSyntheticObjectStore(bucket: string, shape: CorpusShape): ObjectStore {
  const written = createMemoryObjectStore({ buckets: [bucket] });
  const perDeltaspace = shape.versions + 1;
  const total = shape.deltaspaces * perDeltaspace;
  const lastModified = new Date('2026-01-01T00:00:00Z');
  const summaryAt = (position: number): ObjectSummary => {
    const entry = corpusEntry(Math.floor(position / perDeltaspace), position % perDeltaspace);
    return {
      key: entry.key,
      size: entry.size,
      etag: `"${position.toString(16).padStart(32, '0')}"`,
      lastModified,
    };
  };
  const positionOf = (key: string): number | undefined => {
    const match = /^releases\/app-(\d{5})\/(?:reference\.bin|v-(\d{5})\.zip\.delta)$/.exec(key);
    if (!match) return undefined;
    return Number(match[1]) * perDeltaspace + (match[2] === undefined ? 0 : Number(match[2]) + 1);
  };
  /** The first generated position strictly after a key. */
  const firstAfter = (key: string): number => {
    let low = 0;
    let high = total;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareKeys(summaryAt(middle).key, key) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  // Synchronous, so building a page costs no microtask per object (this stands in for a server).
  function* merged(startAfter: string, extra: readonly ObjectSummary[]): Generator<ObjectSummary> {
    let position = firstAfter(startAfter);
    let index = 0;
    while (position < total || index < extra.length) {
      const generated = position < total ? summaryAt(position) : undefined;
      const stored = extra[index];
      if (stored && (!generated || compareKeys(stored.key, generated.key) < 0)) {
        index++;
        yield stored;
      } else if (generated) {
        position++;
        yield generated;
      }
    }
  }

  return {
    capabilities: written.capabilities,
    async head(b, key, options) {
      const position = positionOf(key);
      if (position === undefined || position >= total) return written.head(b, key, options);
      const entry = corpusEntry(Math.floor(position / perDeltaspace), position % perDeltaspace);
      return {
        ...summaryAt(position),
        contentType: 'application/octet-stream',
        metadata:
          entry.originalSize === undefined ? {} : { 'dg-file-size': String(entry.originalSize) },
      };
    },
    async get(b, key, options) {
      return written.get(b, key, options);
    },
    async put(b, key, body, options) {
      return written.put(b, key, body, options);
    },
    async list(b, options = {}): Promise<ListPage> {
      const { startAfter } = resolveListPosition(options);
      resolveMaxKeys(options.maxKeys);
      const extra = (await written.list(b, { maxKeys: 1000 })).objects;
      return buildListPage(merged(startAfter, extra), options);
    },
    async delete(b, key, options) {
      return written.delete(b, key, options);
    },
  };
}
