import { describe, expect, it } from 'vitest';
import { formatCount } from './format-bytes.js';

describe('formatCount', () => {
  it.each([
    0,
    7,
    999,
    1000,
    12_345,
    873_433,
    1_000_000,
    987_654_321,
    -1,
    -1000,
    -873_433,
    Number.MAX_SAFE_INTEGER,
    1.5,
    1234.5678,
    1e21,
  ])('groups %d as en-US does', (value) => {
    expect(formatCount(value)).toBe(value.toLocaleString('en-US'));
  });
});
