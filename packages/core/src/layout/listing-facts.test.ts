import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys } from '../store-support/compare-keys.js';
import {
  encodeFactsKeyPart,
  factsFor,
  factsKeyOf,
  factsPrefixOfKey,
  type ListingFact,
  parseFactsKey,
} from './listing-facts.js';

// The cases deltaglider_proxy publishes with its facts module (src/storage/listing_facts.rs),
// checked against our reading and writing of the same format.

const fact = (overrides: Partial<ListingFact> = {}): ListingFact => ({
  storedKey: 'rel/v1/app zip!.tar.delta',
  storedEtag: '"d41d8cd98f00b204e9800998ecf8427e"',
  storedSize: 46,
  originalSize: 3_000_000,
  originalEtag: 'abc-3',
  ...overrides,
});

describe('listing facts keys', () => {
  it('round-trip a key with a space and a "!", ETags unquoted', () => {
    const key = factsKeyOf(fact())!;
    expect(key.startsWith('.dg/facts/rel/v1/app')).toBe(true);
    expect(key).toBe(
      '.dg/facts/rel/v1/app!Bzip!C.tar.delta!!1.d41d8cd98f00b204e9800998ecf8427e.46.3000000.abc-3',
    );
    expect(parseFactsKey(key)).toEqual({
      ...fact(),
      storedEtag: 'd41d8cd98f00b204e9800998ecf8427e',
    });
  });

  it.each([
    ['control bytes', 'a\u0001b\u001f\u0000.delta'],
    ['non-ASCII', 'releases/ünïcødé/日本語/😀.zip.delta'],
    ['"!" and "!!"', 'a!!b!.delta'],
    ['a trailing slash', 'dir/'],
  ])('round-trip keys with %s', (_, storedKey) => {
    const key = factsKeyOf(fact({ storedKey }))!;
    expect(parseFactsKey(key)?.storedKey).toBe(storedKey);
    expect(key.indexOf('!!')).toBe(factsPrefixOfKey(storedKey).length - 2);
  });

  it('gives none to objects that list as their original or cannot carry one', () => {
    expect(
      factsKeyOf(fact({ storedSize: 5, originalSize: 5, storedEtag: 'e1', originalEtag: 'e1' })),
    ).toBeUndefined();
    expect(factsKeyOf(fact({ storedEtag: '' }))).toBeUndefined();
    expect(factsKeyOf(fact({ originalEtag: '' }))).toBeUndefined();
    expect(factsKeyOf(fact({ storedEtag: 'e.1' }))).toBeUndefined();
    expect(
      factsKeyOf(fact({ storedKey: 'k'.repeat(1020), storedEtag: 'e1', originalEtag: 'e2' })),
    ).toBeUndefined();
  });

  it('gives none to a key whose facts key would pass 1024 UTF-8 bytes', () => {
    const fits = factsKeyOf(fact({ storedKey: 'k'.repeat(900) }));
    expect(fits).toBeDefined();
    const bytes = new TextEncoder().encode(fits).length;
    // The same number of characters, but two bytes each for the last ones, no longer fits.
    const spill = 1024 - bytes + 1;
    expect(
      factsKeyOf(fact({ storedKey: `${'k'.repeat(900 - spill)}${'é'.repeat(spill)}` })),
    ).toBeUndefined();
  });

  it.each([
    '.dg/facts/a.delta',
    '.dg/facts/a.delta!!2.e.1.2.e',
    '.dg/facts/a.delta!!1.e.x.2.e',
    '.dg/facts/a.delta!!1.e.1.-2.e',
    '.dg/facts/a.delta!!1.e.1.2x.e',
    '.dg/facts/a!z.delta!!1.e.1.2.e',
    '.dg/facts/a.delta!!1.e.1.2.e.extra',
    '.dg/facts/a.delta!!1.e.1.2',
    '.dg/facts/a.delta!!1.e_1.1.2.e',
    '.dg/facts/a.delta!!1.e.99999999999999999999.2.e',
    'a.delta!!1.e.1.2.e',
  ])('ignore %s, which is not an entry in this format', (key) => {
    expect(parseFactsKey(key)).toBeUndefined();
  });
});

describe('which entries apply', () => {
  const entry = (
    storedEtag: string,
    storedSize: number,
    originalSize: number,
    originalEtag: string,
  ) => fact({ storedKey: 'k', storedEtag, storedSize, originalSize, originalEtag });
  const current = entry('e1', 10, 100, 'm1');
  const stale = entry('e0', 10, 90, 'm0');

  it('only an entry for the same stored ETag and size', () => {
    expect(factsFor([current, stale], { etag: '"e1"', size: 10 })).toEqual({
      kind: 'applies',
      originalSize: 100,
      originalEtag: 'm1',
    });
    expect(factsFor([current], { etag: 'e1', size: 11 }).kind).toBe('none');
    expect(factsFor([stale], { etag: 'e1', size: 10 }).kind).toBe('none');
  });

  it('two that agree apply; two that disagree apply neither', () => {
    expect(factsFor([current, { ...current }], { etag: 'e1', size: 10 }).kind).toBe('applies');
    expect(factsFor([current, entry('e1', 10, 101, 'm2')], { etag: 'e1', size: 10 }).kind).toBe(
      'conflicting',
    );
  });
});

describe('the encoding', () => {
  const keys = fc.string({ unit: 'binary', maxLength: 40 });

  it('keeps the byte order of keys, so facts sort as their stored keys', () => {
    fc.assert(
      fc.property(keys, keys, (a, b) => {
        const order = Math.sign(compareKeys(a, b));
        expect(Math.sign(compareKeys(factsPrefixOfKey(a), factsPrefixOfKey(b)))).toBe(order);
      }),
      { numRuns: 2000 },
    );
  });

  it('encodes each character alone (a "/" stays "/"), and never writes "!!"', () => {
    fc.assert(
      fc.property(keys, keys, (a, b) => {
        const encoded = encodeFactsKeyPart(`${a}/${b}`);
        expect(encoded).toBe(`${encodeFactsKeyPart(a)}/${encodeFactsKeyPart(b)}`);
        expect(encoded.includes('!!')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
