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

  it('estimates a delta with no reference in its deltaspace as its own size', () => {
    const aggregator = new BucketStatsAggregator();
    aggregator.add(listed('lonely/v1.zip.delta', 40));
    expect(finish(aggregator, 'quick')).toMatchObject({
      totalSize: 40,
      compressedSize: 40,
      spaceSaved: 0,
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
});
