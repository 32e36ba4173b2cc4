import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { decodeListCursor, encodeListCursor } from './list-cursor.js';

describe('list cursors', () => {
  it("round-trip any key, spelled as Node's base64url (cursors stay valid across versions)", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), (key) => {
        const cursor = encodeListCursor(key);
        expect(cursor).toBe(Buffer.from(key, 'utf8').toString('base64url'));
        expect(decodeListCursor(cursor)).toBe(key);
      }),
    );
  });

  it('refuses a cursor that is not base64url', () => {
    for (const cursor of ['', 'a+b', 'abc=', 'a'])
      expect(() => decodeListCursor(cursor)).toThrow(InvalidArgumentError);
  });
});
