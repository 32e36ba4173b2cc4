import { describe, expect, it } from 'vitest';
import { ListingOrderError } from '../listing/listing-order-error.js';
import { BodyTooLargeError } from '../store-support/read-body.js';
import { AccessDeniedError } from './access-denied-error.js';
import { BucketNotFoundError } from './bucket-not-found-error.js';
import { CodecError } from './codec-error.js';
import { DeltaGliderError } from './deltaglider-error.js';
import { InvalidArgumentError } from './invalid-argument-error.js';
import { isAbortError } from './is-abort-error.js';
import { messageOf } from './message-of.js';
import { ObjectStoreError } from './object-store-error.js';
import { ReservedKeyError } from './reserved-key-error.js';
import { StatsOptionError } from './stats-option-error.js';

describe('one error root', () => {
  const usage = [
    new StatsOptionError('mode', 'unknown stats mode'),
    new ReservedKeyError('a/reference.bin', 'reference.bin is the deltaspace reference'),
    new InvalidArgumentError('invalid bucket name'),
  ];
  const runtime = [
    new BucketNotFoundError('b'),
    new AccessDeniedError('b', undefined),
    new CodecError('not a delta'),
    new BodyTooLargeError(10),
    new ListingOrderError('keys ran backwards'),
  ];

  it('every error core raises on purpose is a DeltaGliderError with a code', () => {
    for (const error of [...usage, ...runtime]) {
      expect(DeltaGliderError.isInstance(error)).toBe(true);
      expect(error.code).toMatch(/^[A-Z_]+$/);
    }
    expect(ObjectStoreError.isInstance(new BucketNotFoundError('b'))).toBe(true);
    expect(ObjectStoreError.isInstance(new CodecError('x'))).toBe(false);
  });

  it('says by its usage flag alone whether the caller must change the call', () => {
    expect(usage.map((error) => error.usage)).toEqual([true, true, true]);
    expect(runtime.map((error) => error.usage)).toEqual([false, false, false, false, false]);
  });

  it('is recognised across copies of core (a registry-wide marker, not instanceof)', () => {
    const fromAnotherCopy = Object.assign(new Error('x'), {
      [Symbol.for('@deltaglider/core/DeltaGliderError')]: true,
      code: 'LISTING_ORDER',
    });
    expect(DeltaGliderError.isInstance(fromAnotherCopy)).toBe(true);
    expect(ListingOrderError.isInstance(fromAnotherCopy)).toBe(true);
  });

  it('has shared helpers for aborts and messages', () => {
    expect(isAbortError(new DOMException('stopped', 'AbortError'))).toBe(true);
    expect(isAbortError(new CodecError('x'))).toBe(false);
    expect(messageOf(new CodecError('bad delta'))).toBe('bad delta');
    expect(messageOf('plain')).toBe('plain');
  });
});
