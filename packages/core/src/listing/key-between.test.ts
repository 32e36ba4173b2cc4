import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys } from '../store-support/compare-keys.js';
import { assumedEndOf, keyBetween } from './key-between.js';

describe('keyBetween', () => {
  it('splits where keys differ, halfway in printable ASCII', () => {
    expect(keyBetween('a', 'c')).toBe('b');
    expect(keyBetween('releases/v1/', 'releases/v9/')).toBe('releases/v5');
    // Adjacent at the first differing character: the next one decides.
    expect(keyBetween('flat/obj-000999', 'flat/p')).toMatch(/^flat\/o[c-~]/);
  });

  it('finds nothing between adjacent keys', () => {
    expect(keyBetween('a', 'a ')).toBeUndefined();
    expect(keyBetween('same', 'same')).toBeUndefined();
  });

  it('splits an open-ended listing below the end it assumes', () => {
    const middle = keyBetween('releases/app/1.0/app.zip', assumedEndOf('releases/'));
    expect(middle?.startsWith('releases/')).toBe(true);
    expect(compareKeys(middle as string, 'releases/app/1.0/app.zip')).toBeGreaterThan(0);
  });

  it('answers only keys strictly between its two, whatever the characters', () => {
    const anyKey = fc.string({ unit: 'binary', maxLength: 12 });
    fc.assert(
      fc.property(anyKey, anyKey, (x, y) => {
        const [low, high] = compareKeys(x, y) <= 0 ? [x, y] : [y, x];
        const middle = keyBetween(low, high);
        if (middle !== undefined) {
          expect(compareKeys(low, middle)).toBeLessThan(0);
          expect(compareKeys(middle, high)).toBeLessThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
