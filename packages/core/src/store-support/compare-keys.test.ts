import { describe, expect, it } from 'vitest';
import { compareKeys } from './compare-keys.js';

const byUtf8Bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('compareKeys', () => {
  it('orders like the UTF-8 bytes S3 compares', () => {
    const keys = [
      'app/x',
      'app-2/y',
      'app.txt',
      'app0/z',
      'App',
      'é',
      '\u{1F600}',
      '\uFF5E',
      'a',
      '',
    ];
    expect([...keys].sort(compareKeys)).toEqual([...keys].sort(byUtf8Bytes));
  });

  it('puts astral characters after the rest of the BMP, where UTF-16 order does not', () => {
    expect(compareKeys('\u{1F600}', '\uFF5E')).toBeGreaterThan(0);
    expect('\u{1F600}' < '\uFF5E').toBe(true);
  });

  it('orders a prefix before its extensions', () => {
    expect(compareKeys('app', 'app/')).toBeLessThan(0);
    expect(compareKeys('same', 'same')).toBe(0);
  });
});
