import { describe, expect, it } from 'vitest';
import { SizeList } from './size-list.js';

const listOf = (...sizes: number[]) => {
  const list = new SizeList();
  for (const size of sizes) list.push(size);
  return list;
};

describe('SizeList', () => {
  it('gives the median of odd and even counts, 0 for none', () => {
    expect(new SizeList().median()).toBe(0);
    expect(listOf(5, 1, 3).median()).toBe(3);
    expect(listOf(4, 1, 3, 10).median()).toBe(4);
    expect(listOf(...Array.from({ length: 1001 }, (_, index) => 1000 - index)).median()).toBe(500);
  });

  it('keeps sizes past 4 GiB exactly, and appends another list', () => {
    const big = 5 * 2 ** 32 + 7;
    const list = listOf(1, 2, big, big + 2);
    expect(list.median()).toBe(Math.round((2 + big) / 2));
    list.append(listOf(big + 4, big + 6, 0));
    expect(list.length).toBe(7);
    expect(list.median()).toBe(big);
  });
});
