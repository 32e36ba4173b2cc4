import { describe, expect, it } from 'vitest';
import { FactsJoin } from './facts-join.js';

const fact = (storedKey: string, storedSize: number, originalSize: number, storedEtag = 'ab') => ({
  storedKey,
  storedEtag,
  storedSize,
  originalSize,
  originalEtag: 'cd',
});

function resolved(join: FactsJoin): [number, number, number][] {
  const found: [number, number, number][] = [];
  join.resolve((group, deltaSize, originalSize) => found.push([group, deltaSize, originalSize]));
  return found.sort((a, b) => a[0] - b[0]);
}

describe('FactsJoin', () => {
  it('matches on key, ETag and size, whichever side comes first, sizes past 4 GiB included', () => {
    const join = new FactsJoin(true);
    join.addDelta('a/x.delta', '"ab"', 10, 0);
    join.addFact(fact('a/x.delta', 10, 6 * 2 ** 30));
    join.addFact(fact('b/y.delta', 5 * 2 ** 30, 7 * 2 ** 30));
    join.addDelta('b/y.delta', 'ab', 5 * 2 ** 30, 1);
    join.addDelta('c/z.delta', 'ab', 10, 2);
    // Another ETag or size is another object: its facts do not apply.
    join.addFact(fact('c/z.delta', 11, 99));
    join.addFact(fact('c/z.delta', 10, 98, 'ff'));
    expect(resolved(join)).toEqual([
      [0, 10, 6 * 2 ** 30],
      [1, 5 * 2 ** 30, 7 * 2 ** 30],
    ]);
  });

  it('applies nothing where two facts of one object disagree, and ignores ETags it was told are absent', () => {
    const join = new FactsJoin(false);
    join.addDelta('a/x.delta', undefined, 10, 0);
    join.addDelta('a/y.delta', undefined, 10, 1);
    join.addFact(fact('a/x.delta', 10, 100, 'e1'));
    join.addFact(fact('a/x.delta', 10, 101, 'e2'));
    join.addFact(fact('a/y.delta', 10, 200, 'e3'));
    join.addFact(fact('a/y.delta', 10, 200, 'e3'));
    expect(resolved(join)).toEqual([[1, 10, 200]]);
  });

  it('finds every one of many facts', () => {
    const join = new FactsJoin(true);
    for (let index = 0; index < 50_000; index++) {
      join.addFact(fact(`d/${index}.delta`, index, index * 3));
      join.addDelta(`d/${49_999 - index}.delta`, 'ab', 49_999 - index, 49_999 - index);
    }
    const found = resolved(join);
    expect(found).toHaveLength(50_000);
    expect(found.every(([group, size, original]) => size === group && original === group * 3)).toBe(
      true,
    );
  });
});
