import { describe, expect, it } from 'vitest';
import type { StatsCache } from './stats-cache-schema.js';
import { validateStatsCache } from './validate-stats-cache.js';

const listing = { objectCount: 3, listedBytes: 300, fingerprint: 'v1:abc' };
const fullStats = {
  bucket: 'b',
  object_count: 2,
  total_size: 900,
  compressed_size: 300,
  space_saved: 600,
  average_compression_ratio: 600 / 900,
  delta_objects: 2,
  direct_objects: 0,
  mode: 'quick' as const,
  prefix: '',
  reference_objects: 1,
  object_limit_reached: false,
  total_size_estimated: true,
  estimated_deltas: 2,
  deltas_without_metadata: 0,
  failed_heads: 0,
  incomplete: false,
  orphaned_references: [],
  orphaned_reference_bytes: 0,
  unrecoverable_deltas: 0,
  unrecoverable_delta_bytes: 0,
  unrecoverable_deltaspaces: [],
  deltaspace_health: { excellent: 1, good: 0, fair: 0, poor: 0, no_reference: 0 },
  storage_classes: [{ storage_class: 'STANDARD', objects: 3, bytes: 300 }],
};
const cache = (overrides: Partial<StatsCache> = {}): StatsCache => ({
  version: '1.0',
  mode: 'quick',
  computed_at: '2026-11-23T12:00:00Z',
  validation: { object_count: 3, compressed_size: 300, fingerprint: 'v1:abc', prefix: '' },
  stats: fullStats,
  ...overrides,
});
const expectations = {
  mode: 'quick' as const,
  prefix: '',
  listing,
  now: new Date('2026-11-23T12:10:00Z'),
};

describe('validateStatsCache', () => {
  it('treats a cache computed in the future (a fast clock elsewhere) as stale under any max age', () => {
    const future = cache({ computed_at: '2026-11-23T13:10:00Z' }); // an hour ahead of `now`
    expect(validateStatsCache(future, { ...expectations, maxAgeSeconds: 0 })).toMatchObject({
      kind: 'stale',
      reason: expect.stringContaining('computed 3600 s in the future'),
    });
    expect(validateStatsCache(future, { ...expectations, maxAgeSeconds: 86_400 }).kind).toBe(
      'stale',
    );
    // Without a max age, age does not matter; within the tolerance, clocks merely disagree a bit.
    expect(validateStatsCache(future, expectations).kind).toBe('valid');
    const slightlyAhead = cache({ computed_at: '2026-11-23T12:10:30Z' });
    expect(validateStatsCache(slightlyAhead, { ...expectations, maxAgeSeconds: 0 }).kind).toBe(
      'valid',
    );
  });

  it('accepts a cache that describes exactly this listing', () => {
    const verdict = validateStatsCache(cache(), expectations);
    expect(verdict).toMatchObject({ kind: 'valid', stats: { objectCount: 2, spaceSaved: 600 } });
  });

  it.each([
    [
      'another object count',
      { validation: { object_count: 4, compressed_size: 300, fingerprint: 'v1:abc' } },
      /object count/,
    ],
    [
      'other listed bytes',
      { validation: { object_count: 3, compressed_size: 301, fingerprint: 'v1:abc' } },
      /listed bytes/,
    ],
    [
      'another fingerprint',
      { validation: { object_count: 3, compressed_size: 300, fingerprint: 'v1:abd' } },
      /fingerprint/,
    ],
    [
      'no fingerprint',
      { validation: { object_count: 3, compressed_size: 300 } },
      /no listing fingerprint/,
    ],
    [
      'another prefix',
      {
        validation: { object_count: 3, compressed_size: 300, fingerprint: 'v1:abc', prefix: 'x/' },
      },
      /prefix/,
    ],
  ])('calls a cache with %s stale', (_case, overrides, reason) => {
    const verdict = validateStatsCache(cache(overrides as Partial<StatsCache>), expectations);
    expect(verdict.kind).toBe('stale');
    expect(verdict.kind !== 'valid' && verdict.reason).toMatch(reason);
  });

  it('recomputes a cache without storage classes (written before them), refuses one they do not add up in', () => {
    const { storage_classes: _, ...older } = fullStats;
    expect(validateStatsCache(cache({ stats: older }), expectations)).toMatchObject({
      kind: 'stale',
      reason: 'cache lacks the extended stats fields',
    });
    const forged = cache({
      stats: {
        ...fullStats,
        storage_classes: [
          { storage_class: 'STANDARD', objects: 2, bytes: 200 },
          { storage_class: 'GLACIER', objects: 1, bytes: 90 },
        ],
      },
    });
    expect(validateStatsCache(forged, expectations)).toMatchObject({
      kind: 'unusable',
      reason: expect.stringContaining('storage classes do not add up'),
    });
  });

  it('calls another version or mode unusable', () => {
    expect(validateStatsCache(cache({ version: '2.0' }), expectations).kind).toBe('unusable');
    expect(validateStatsCache(cache({ mode: 'detailed' }), expectations).kind).toBe('unusable');
  });

  it('expires a cache older than the max age, and never serves an incomplete one', () => {
    expect(validateStatsCache(cache(), { ...expectations, maxAgeSeconds: 599 }).kind).toBe('stale');
    expect(validateStatsCache(cache(), { ...expectations, maxAgeSeconds: 600 }).kind).toBe('valid');
    expect(
      validateStatsCache(cache({ stats: { ...fullStats, incomplete: true } }), expectations).kind,
    ).toBe('stale');
  });
});
