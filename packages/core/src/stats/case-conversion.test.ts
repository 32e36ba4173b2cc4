import { describe, expect, it } from 'vitest';
import { camelCaseKeys, snakeCaseKeys } from './case-conversion.js';

describe('case conversion', () => {
  it('round-trips wire stats, nested arrays included', () => {
    const wire = {
      object_count: 1,
      orphaned_references: [{ key: 'k', size: 2 }],
      average_compression_ratio: 0.5,
    };
    const camel = camelCaseKeys(wire);
    expect(camel).toEqual({
      objectCount: 1,
      orphanedReferences: [{ key: 'k', size: 2 }],
      averageCompressionRatio: 0.5,
    });
    expect(snakeCaseKeys(camel)).toEqual(wire);
  });
});
