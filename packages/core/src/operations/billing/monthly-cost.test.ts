import { describe, expect, it } from 'vitest';
import { BucketStatsAggregator } from '../../stats/bucket-stats-aggregator.js';
import { estimateMonthlyCost } from './monthly-cost.js';
import { storagePricesOf } from './storage-prices.js';

const GIB = 2 ** 30;

function statsOf(objects: { key: string; size: number; storageClass?: string }[]) {
  const aggregator = new BucketStatsAggregator();
  for (const object of objects) {
    const delta = aggregator.add({ ...object, etag: '"e"', lastModified: new Date(0) });
    // Every delta stands for a 10 GiB original.
    if (delta) aggregator.recordOriginal(delta, 10 * GIB);
  }
  const stats = aggregator.finish({
    bucket: 'b',
    prefix: '',
    mode: 'detailed',
    objectLimitReached: false,
  });
  const listedBytes = objects.reduce((sum, object) => sum + object.size, 0);
  return { stats, listedBytes };
}

describe('estimateMonthlyCost', () => {
  it('prices listed bytes by class, the rest at STANDARD, originals at the average price', () => {
    const { stats, listedBytes } = statsOf([
      { key: 'app/reference.bin', size: 10 * GIB, storageClass: 'STANDARD' },
      { key: 'app/v1.zip.delta', size: GIB, storageClass: 'STANDARD_IA' },
      { key: 'app/v2.zip.delta', size: GIB, storageClass: 'GLACIER_IR' },
    ]);
    const billing = {
      listedBytes,
      billedBytes: listedBytes + 2 * GIB,
      versions: null,
      uploads: null,
    };
    const prices = storagePricesOf('STANDARD=0.02,STANDARD_IA=0.01');
    const cost = estimateMonthlyCost({ ...stats, billing }, prices);
    // 10 GiB x 0.02 + 1 GiB x 0.01 + 1 GiB (unpriced GLACIER_IR) x 0.02 + 2 GiB unlisted x 0.02
    expect(cost.stored).toBeCloseTo(0.2 + 0.01 + 0.02 + 0.04, 10);
    expect(cost.unpricedClasses).toEqual(['GLACIER_IR']);
    // Saved 20 GiB of originals - 12 GiB stored = 8 GiB, at 0.23 / 12 per GiB.
    expect(stats.spaceSaved).toBe(8 * GIB);
    expect(cost.saved).toBeCloseTo((8 * 0.23) / 12, 4);
    expect(cost.withoutDeltas).toBeCloseTo(cost.stored + cost.saved, 4);
    expect(cost).toMatchObject({ prices: 'custom', currency: 'USD' });
  });

  it('takes presets, lets --price change them, and refuses prices it cannot read', () => {
    expect(storagePricesOf(undefined, 'aws-us-east-1').perGibMonth.STANDARD_IA).toBe(0.0125);
    const changed = storagePricesOf('STANDARD=0.02', 'aws-us-east-1');
    expect(changed).toMatchObject({ name: 'aws-us-east-1 (changed)' });
    expect(changed.perGibMonth).toMatchObject({ STANDARD: 0.02, STANDARD_IA: 0.0125 });
    expect(() => storagePricesOf('STANDARD_IA=0.01')).toThrow(/STANDARD=/);
    expect(() => storagePricesOf('STANDARD=cheap')).toThrow(/CLASS=DOLLARS_PER_GIB_MONTH/);
  });
});
