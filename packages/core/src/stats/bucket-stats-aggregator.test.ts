import { describe, expect, it } from 'vitest';
import { BucketStatsAggregator } from './bucket-stats-aggregator.js';

const listed = (key: string, size: number) => ({
  key,
  size,
  etag: `"${key}"`,
  lastModified: new Date(0),
});
const finish = (
  aggregator: BucketStatsAggregator,
  mode: 'quick' | 'sampled' | 'detailed' = 'detailed',
) => aggregator.finish({ bucket: 'b', prefix: '', mode, objectLimitReached: false });

describe('BucketStatsAggregator', () => {
  it('keeps compressed size equal to listed user bytes minus orphaned references', () => {
    const aggregator = new BucketStatsAggregator();
    const objects = [
      listed('a/reference.bin', 1000),
      listed('a/v1.zip.delta', 10),
      listed('b/reference.bin', 500),
      listed('b/notes.txt', 7),
      listed('reference.bin', 300),
      listed('.deltaglider/stats_quick.json', 99),
    ];
    for (const object of objects) aggregator.add(object);
    const stats = finish(aggregator, 'quick');
    const listedUserBytes = 1000 + 10 + 500 + 7 + 300;
    expect(stats.compressedSize).toBe(listedUserBytes - stats.orphanedReferenceBytes);
    expect(stats.orphanedReferences).toEqual([
      { key: 'b/reference.bin', size: 500 },
      { key: 'reference.bin', size: 300 },
    ]);
    expect(aggregator.fingerprint.summary().objectCount).toBe(5);
  });

  it.each(['quick', 'sampled', 'detailed'] as const)(
    '%s: reports deltas without a reference apart, counted in no total',
    (mode) => {
      const aggregator = new BucketStatsAggregator();
      aggregator.add(listed('app/reference.bin', 1000));
      const kept = aggregator.add(listed('app/v1.zip.delta', 10));
      aggregator.recordOriginal(kept!, 1000);
      const lonely = aggregator.add(listed('lonely/v1.zip.delta', 40));
      aggregator.add(listed('lonely/v2.zip.delta', 60));
      if (mode !== 'quick') aggregator.recordOriginal(lonely!, 5000);
      const stats = finish(aggregator, mode);
      expect(stats).toMatchObject({
        objectCount: 1,
        deltaObjects: 1,
        totalSize: 1000,
        compressedSize: 1010,
        unrecoverableDeltas: 2,
        unrecoverableDeltaBytes: 100,
        unrecoverableDeltaspaces: [{ deltaspace: 'lonely', deltas: 2, bytes: 100 }],
        deltaspaceHealth: { excellent: 1, good: 0, fair: 0, poor: 0, noReference: 1 },
      });
      expect(stats.deltaspaces?.find((space) => space.deltaspace === 'lonely')).toMatchObject({
        deltaObjects: 0,
        unrecoverableDeltas: 2,
        health: 'no_reference',
        originalSize: 0,
      });
    },
  );

  it('grades each deltaspace by its median delta against its reference', () => {
    const aggregator = new BucketStatsAggregator();
    const spaces = {
      tiny: [1, 2, 3],
      good: [100, 150, 190],
      fair: [300, 400, 450],
      poor: [600, 700, 900],
    };
    for (const [name, sizes] of Object.entries(spaces)) {
      aggregator.add(listed(`${name}/reference.bin`, 1000));
      for (const [index, size] of sizes.entries())
        aggregator.add(listed(`${name}/v${index}.zip.delta`, size));
    }
    aggregator.add(listed('big/reference.bin', 100_000_000));
    aggregator.add(listed('big/v1.zip.delta', 300_000)); // 0.3 % but over 200 KB
    aggregator.add(listed('orphan/reference.bin', 10));
    const stats = finish(aggregator);
    const grades = Object.fromEntries(
      (stats.deltaspaces ?? []).map((space) => [space.deltaspace, space.health]),
    );
    expect(grades).toEqual({
      tiny: 'excellent',
      good: 'good',
      fair: 'fair',
      poor: 'poor',
      big: 'good',
      orphan: null,
    });
    expect(stats.deltaspaceHealth).toEqual({
      excellent: 1,
      good: 2,
      fair: 1,
      poor: 1,
      noReference: 0,
    });
  });

  it('never reports negative savings', () => {
    const aggregator = new BucketStatsAggregator();
    aggregator.add(listed('a/reference.bin', 1000));
    const delta = aggregator.add(listed('a/v1.zip.delta', 10));
    aggregator.recordOriginal(delta!, 5);
    expect(finish(aggregator)).toMatchObject({ spaceSaved: 0, averageCompressionRatio: 0 });
  });

  it('fits sampled estimates on the line through the zero-diff delta and the samples', () => {
    const aggregator = new BucketStatsAggregator();
    aggregator.add(listed('a/reference.bin', 100_000));
    const originals = new Map([
      ['a/v0.zip.delta', [60, 100_000]],
      ['a/v1.zip.delta', [1060, 105_000]],
      ['a/v2.zip.delta', [2060, 110_000]],
      ['a/v3.zip.delta', [3060, 115_000]],
    ]);
    const deltas = [...originals].map(([key, [size]]) => aggregator.add(listed(key, size!))!);
    // The largest, then the closest to the mean size (1,560: v1 and v2 tie, the key decides).
    const samples = aggregator.sampleTargets(2);
    expect(samples.map((sample) => sample.key).sort()).toEqual([
      'a/v1.zip.delta',
      'a/v3.zip.delta',
    ]);
    for (const sample of samples)
      aggregator.recordOriginal(
        deltas.find((d) => d.key === sample.key)!,
        originals.get(sample.key)![1]!,
      );
    expect(finish(aggregator, 'sampled').totalSize).toBe(430_000);
  });

  it('gives the same stats and fingerprint without sampling, and refuses to sample then', () => {
    const objects = [
      listed('a/reference.bin', 1000),
      ...Array.from({ length: 20 }, (_, index) => listed(`a/v${index}.zip.delta`, 10 + index)),
      listed('b/notes.txt', 7),
    ];
    const sampling = new BucketStatsAggregator();
    const plain = new BucketStatsAggregator({ sampling: false });
    for (const object of objects) {
      sampling.add(object);
      plain.add(object);
    }
    expect(finish(plain, 'quick')).toEqual(finish(sampling, 'quick'));
    expect(plain.fingerprint.summary()).toEqual(sampling.fingerprint.summary());
    expect(sampling.sampleTargets(2)).toHaveLength(2);
    expect(() => plain.sampleTargets(2)).toThrow(/sampling/);
  });

  it('totals every object it covers by storage class, STANDARD where none is named, merged alike', () => {
    const objects = [
      { ...listed('a/reference.bin', 1000), storageClass: 'STANDARD' },
      { ...listed('a/v1.zip.delta', 40), storageClass: 'STANDARD_IA' },
      { ...listed('a/v2.zip.delta', 60), storageClass: 'STANDARD_IA' },
      listed('b/notes.txt', 7),
      listed('c/orphan/reference.bin', 500),
      { ...listed('d/lost.zip.delta', 9), storageClass: 'GLACIER_IR' },
      listed('.deltaglider/stats_quick.json', 2000),
    ];
    const whole = new BucketStatsAggregator();
    for (const object of objects) whole.add(object);
    expect(finish(whole).storageClasses).toEqual([
      { storageClass: 'STANDARD', objects: 3, bytes: 1507 },
      { storageClass: 'STANDARD_IA', objects: 2, bytes: 100 },
      { storageClass: 'GLACIER_IR', objects: 1, bytes: 9 },
    ]);
    const left = new BucketStatsAggregator();
    const right = new BucketStatsAggregator();
    for (const [index, object] of objects.entries()) (index % 2 ? left : right).add(object);
    left.merge(right);
    expect(finish(left).storageClasses).toEqual(finish(whole).storageClasses);
  });
});
