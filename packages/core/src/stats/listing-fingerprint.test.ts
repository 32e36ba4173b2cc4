import { describe, expect, it } from 'vitest';
import { ListingFingerprint } from './listing-fingerprint.js';

const object = (key: string, size = 1, etag = '"e"') => ({
  key,
  size,
  etag,
  lastModified: new Date(0),
});

function fingerprintOf(objects: (ReturnType<typeof object> & { storageClass?: string })[]) {
  const fingerprint = new ListingFingerprint();
  for (const entry of objects) fingerprint.add(entry);
  return fingerprint.summary();
}

describe('ListingFingerprint', () => {
  const listing = ['a', 'b/c', 'b/d.delta', 'z'].map((key) => object(key, key.length));

  it('does not depend on order, and merging parts gives the whole', () => {
    const whole = fingerprintOf(listing);
    expect(fingerprintOf([...listing].reverse())).toEqual(whole);
    const left = new ListingFingerprint();
    const right = new ListingFingerprint();
    for (const entry of listing.slice(0, 1)) left.add(entry);
    for (const entry of listing.slice(1)) right.add(entry);
    left.merge(right);
    expect(left.summary()).toEqual(whole);
    expect(whole).toMatchObject({ objectCount: 4, listedBytes: 1 + 3 + 9 + 1 });
  });

  it('changes when an object moves to another storage class, not for STANDARD said or unsaid', () => {
    const base = fingerprintOf(listing).fingerprint;
    const standard = listing.map((entry) => ({ ...entry, storageClass: 'STANDARD' }));
    expect(fingerprintOf(standard).fingerprint).toBe(base);
    const [first, ...rest] = listing;
    expect(
      fingerprintOf([{ ...first!, storageClass: 'STANDARD_IA' }, ...rest]).fingerprint,
    ).not.toBe(base);
  });

  it('changes when an object is added, removed, resized or rewritten', () => {
    const base = fingerprintOf(listing).fingerprint;
    expect(fingerprintOf([...listing, object('new')]).fingerprint).not.toBe(base);
    expect(fingerprintOf(listing.slice(1)).fingerprint).not.toBe(base);
    expect(fingerprintOf([object('a', 2), ...listing.slice(1)]).fingerprint).not.toBe(base);
    expect(fingerprintOf([object('a', 1, '"other"'), ...listing.slice(1)]).fingerprint).not.toBe(
      base,
    );
  });

  it('keeps key, size and ETag apart, and sees sizes beyond 32 bits', () => {
    const one = (entry: ReturnType<typeof object>) => fingerprintOf([entry]).fingerprint;
    // The same characters split differently between key and ETag are different objects.
    expect(one(object('ab', 1, 'c'))).not.toBe(one(object('a', 1, 'bc')));
    expect(one(object('a', 2 ** 32 + 1))).not.toBe(one(object('a', 1)));
    expect(one(object('a', 2 ** 40))).not.toBe(one(object('a', 2 ** 41)));
    expect(one(object('a'))).toMatch(/^v3:[0-9a-f]{32}$/);
  });
});
