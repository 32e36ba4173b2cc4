import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statsCacheSchema } from '../cache/stats-cache-schema.js';
import { validateStatsCache } from '../cache/validate-stats-cache.js';
import { classifyKey } from '../layout/bucket-layout.js';
import type { ObjectSummary } from '../ports/object-store.js';
import { BucketStatsAggregator } from './bucket-stats-aggregator.js';

// Properties over generated buckets: what must hold for every listing, not just the examples.

const segment = fc.constantFrom(
  'releases',
  'app',
  'lib',
  'a',
  'b-2',
  'x.y',
  '.deltaglider',
  'docs',
  '日本',
);
const fileName = fc.constantFrom(
  'reference.bin',
  'app-1.0.zip.delta',
  'app-1.1.zip.delta',
  'lib.jar.delta',
  'readme.txt',
  'notes.md',
  'stats_quick.json',
  'x.delta',
  'reference.bin.sha256',
);
const key = fc
  .tuple(fc.array(segment, { maxLength: 3 }), fileName)
  .map(([directories, name]) => [...directories, name].join('/'));
const listing = fc.uniqueArray(
  fc.record({ key, size: fc.nat({ max: 10_000_000 }), etag: fc.stringMatching(/^[0-9a-f]{1,8}$/) }),
  { selector: (object) => object.key, maxLength: 60 },
);

const summaries = (objects: { key: string; size: number; etag: string }[]): ObjectSummary[] =>
  objects.map((object) => ({ ...object, etag: `"${object.etag}"`, lastModified: new Date(0) }));

function aggregate(objects: readonly ObjectSummary[]): BucketStatsAggregator {
  const aggregator = new BucketStatsAggregator();
  for (const object of objects) aggregator.add(object);
  return aggregator;
}

const finish = (aggregator: BucketStatsAggregator) =>
  aggregator.finish({ bucket: 'b', prefix: '', mode: 'quick', objectLimitReached: false });

describe('properties', () => {
  it('classifies every key consistently with its name', () => {
    fc.assert(
      fc.property(fc.oneof(key, fc.string()), (text) => {
        const { kind, deltaspace } = classifyKey(text);
        const name = text.slice(text.lastIndexOf('/') + 1);
        expect(text.includes('/') ? `${deltaspace}/${name}` : name).toBe(text);
        if (text.startsWith('.deltaglider/')) expect(kind).toBe('internal');
        else if (name === 'reference.bin') expect(kind).toBe('reference');
        else if (name.endsWith('.delta')) expect(kind).toBe('delta');
        else expect(kind).toBe('direct');
      }),
    );
  });

  it('keeps compressed size equal to the listed user bytes minus orphaned references and unrecoverable deltas', () => {
    fc.assert(
      fc.property(listing, (objects) => {
        const listed = summaries(objects);
        const stats = finish(aggregate(listed));
        const userBytes = listed
          .filter((object) => classifyKey(object.key).kind !== 'internal')
          .reduce((sum, object) => sum + object.size, 0);
        expect(stats.compressedSize).toBe(
          userBytes - stats.orphanedReferenceBytes - stats.unrecoverableDeltaBytes,
        );
        expect(stats.objectCount).toBe(stats.deltaObjects + stats.directObjects);
        expect(stats.spaceSaved).toBe(Math.max(0, stats.totalSize - stats.compressedSize));
        expect(stats.averageCompressionRatio).toBeGreaterThanOrEqual(0);
        expect(stats.averageCompressionRatio).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('gives the same stats and fingerprint when a listing is split anywhere and the parts merged', () => {
    fc.assert(
      fc.property(listing, fc.nat(), (objects, cut) => {
        const listed = summaries(objects);
        const at = listed.length === 0 ? 0 : cut % (listed.length + 1);
        const whole = aggregate(listed);
        const left = aggregate(listed.slice(0, at));
        left.merge(aggregate(listed.slice(at)));
        expect(finish(left)).toEqual(finish(whole));
        expect(left.fingerprint.summary()).toEqual(whole.fingerprint.summary());
      }),
    );
  });

  it('parses any JSON into a cache or a refusal, never a crash, and never trusts bad numbers', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const expectations = {
      mode: 'quick' as const,
      prefix: '',
      listing: { objectCount: 1, listedBytes: 1, fingerprint: 'v3:0' },
      now,
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = statsCacheSchema.safeParse(value);
        if (!parsed.success) return;
        expect(Number.isSafeInteger(parsed.data.validation.object_count)).toBe(true);
        expect(parsed.data.stats.total_size).toBeGreaterThanOrEqual(0);
        expect(() => validateStatsCache(parsed.data, expectations)).not.toThrow();
      }),
    );
    for (const text of [
      '{"__proto__": {"polluted": 1}, "version": "1.0"}',
      '{"constructor": {"prototype": {}}}',
      '[1e400]',
      '-0',
    ]) {
      expect(statsCacheSchema.safeParse(JSON.parse(text)).success).toBe(false);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
