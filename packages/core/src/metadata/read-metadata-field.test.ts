import { describe, expect, it } from 'vitest';
import { readMetadataField, readMetadataSize } from './read-metadata-field.js';

describe('metadata aliases', () => {
  it.each([
    [{ 'dg-file-size': '10', dg_file_size: '20', file_size: '30', 'file-size': '40' }, 10],
    [{ dg_file_size: '20', file_size: '30', 'file-size': '40' }, 20],
    [{ file_size: '30', 'file-size': '40' }, 30],
    [{ 'file-size': '40' }, 40],
    [{ 'dg-file-size': '', file_size: '30' }, 30],
  ])('reads the first non-empty spelling of %j', (metadata, expected) => {
    expect(readMetadataSize(metadata, 'file-size')).toBe(expected);
  });

  it.each(['-5', '1.5', 'NaN', '1e3', ' ', 'twelve', '99999999999999999'])(
    'treats %j as no size',
    (value) => {
      expect(readMetadataSize({ 'dg-file-size': value }, 'file-size')).toBeUndefined();
    },
  );

  it('reads text fields the same way', () => {
    expect(readMetadataField({ ref_key: 'a/reference.bin' }, 'ref-key')).toBe('a/reference.bin');
    expect(readMetadataField({}, 'ref-key')).toBeUndefined();
  });
});
