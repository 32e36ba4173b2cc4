import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FactsJoin } from './facts-join.js';

const fact = (storedKey: string, storedSize: number, originalSize: number, storedEtag = 'ab') => ({
  storedKey,
  storedEtag,
  storedSize,
  originalSize,
  originalEtag: 'cd',
});

type Event =
  | { readonly fact: ReturnType<typeof fact> }
  | { readonly delta: { key: string; etag?: string; size: number; group: number } };

/** Every delta's original the join tells, at once or at `resolve`, by group. */
function originals(join: FactsJoin, events: readonly Event[]): [number, number][] {
  const found: [number, number][] = [];
  const sizes: number[] = [];
  for (const event of events) {
    if ('fact' in event) join.addFact(event.fact);
    else {
      const { key, etag, size, group } = event.delta;
      const original = join.addDelta(key, etag, size, group);
      if (original !== undefined) found.push([group, original]);
      else sizes.push(size);
    }
  }
  const resolvedSizes: number[] = [];
  join.resolve((group, size, original) => {
    found.push([group, original]);
    resolvedSizes.push(size);
  });
  // A delta answered late is told with its own size (the facts keep none).
  expect(sizes).toEqual(expect.arrayContaining(resolvedSizes));
  return found.sort((a, b) => a[0] - b[0]);
}

describe('FactsJoin', () => {
  it('matches on key, ETag and size, whichever side comes first, sizes past 4 GiB included', () => {
    expect(
      originals(new FactsJoin(true, 1), [
        { delta: { key: 'a/x.delta', etag: '"ab"', size: 10, group: 0 } },
        { fact: fact('a/x.delta', 10, 6 * 2 ** 30) },
        { fact: fact('b/y.delta', 5 * 2 ** 30, 7 * 2 ** 30) },
        { delta: { key: 'b/y.delta', etag: 'ab', size: 5 * 2 ** 30, group: 1 } },
        { delta: { key: 'c/z.delta', etag: 'ab', size: 10, group: 2 } },
        // Another ETag or size is another object: its facts do not apply.
        { fact: fact('c/z.delta', 11, 99) },
        { fact: fact('c/z.delta', 10, 98, 'ff') },
      ]),
    ).toEqual([
      [0, 6 * 2 ** 30],
      [1, 7 * 2 ** 30],
    ]);
  });

  it('applies nothing where two facts of one object disagree, and ignores ETags when told to', () => {
    expect(
      originals(new FactsJoin(false), [
        { delta: { key: 'a/x.delta', size: 10, group: 0 } },
        { delta: { key: 'a/y.delta', size: 10, group: 1 } },
        { fact: fact('a/x.delta', 10, 100, 'e1') },
        { fact: fact('a/x.delta', 10, 101, 'e2') },
        { fact: fact('a/y.delta', 10, 200, 'e3') },
        { fact: fact('a/y.delta', 10, 200, 'e3') },
      ]),
    ).toEqual([[1, 200]]);
  });

  it('tells the same originals whenever it indexes, in any order of facts and deltas', () => {
    const events = fc
      .array(
        fc.record({
          id: fc.nat(40),
          size: fc.nat(5),
          original: fc.nat(1000),
          hasFact: fc.boolean(),
        }),
        {
          maxLength: 60,
        },
      )
      .map((objects) => {
        const unique = [...new Map(objects.map((o) => [o.id, o])).values()];
        return unique.flatMap<Event>((o) => [
          { delta: { key: `d/${o.id}.delta`, etag: 'ab', size: o.size, group: o.id } },
          ...(o.hasFact ? [{ fact: fact(`d/${o.id}.delta`, o.size, o.original) }] : []),
        ]);
      });
    fc.assert(
      fc.property(
        events,
        fc.func(fc.integer()),
        fc.integer({ min: 1, max: 8 }),
        (list, order, firstIndexAt) => {
          const shuffled = list
            .map((event, index) => ({ event, rank: order(index) }))
            .sort((a, b) => a.rank - b.rank)
            .map(({ event }) => event);
          expect(originals(new FactsJoin(true, firstIndexAt), shuffled)).toEqual(
            originals(new FactsJoin(true, Number.MAX_SAFE_INTEGER), list),
          );
        },
      ),
    );
  });

  it('finds every one of many facts, most of them at once', () => {
    const events: Event[] = [];
    for (let index = 0; index < 100_000; index++)
      events.push({ fact: fact(`d/${index}.delta`, index, index * 3) });
    for (let index = 0; index < 100_000; index++)
      events.push({ delta: { key: `d/${index}.delta`, etag: 'ab', size: index, group: index } });
    const found = originals(new FactsJoin(true), events);
    expect(found).toHaveLength(100_000);
    expect(found.every(([group, original]) => original === group * 3)).toBe(true);
  });
});
