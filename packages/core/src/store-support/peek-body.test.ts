import { describe, expect, it } from 'vitest';
import { peekBody } from './peek-body.js';
import { readBody } from './read-body.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

/** A body of `chunks` that records how far it was read and whether it was closed. */
function watchedBody(chunks: Uint8Array[]) {
  const seen = { taken: 0, closed: false };
  const body = (async function* () {
    try {
      for (const chunk of chunks) {
        seen.taken++;
        yield chunk;
      }
    } finally {
      seen.closed = true;
    }
  })();
  return { body, seen };
}

describe('peekBody', () => {
  it('takes chunks only until the answer, and gives the body back whole', async () => {
    const { body, seen } = watchedBody([bytes(1), bytes(2, 3), bytes(4), bytes(5)]);
    const heads: number[][] = [];
    const peeked = await peekBody(body, (head) => {
      heads.push([...head]);
      return head.length >= 3 ? 'three' : undefined;
    });
    expect(peeked.answer).toBe('three');
    expect(heads).toEqual([[1], [1, 2, 3]]);
    expect(seen.taken).toBe(2);
    expect([...(await readBody(peeked.body))]).toEqual([1, 2, 3, 4, 5]);
    expect(seen.closed).toBe(true);
  });

  it('answers undefined for a body that ends first, and still gives it back', async () => {
    const { body } = watchedBody([bytes(7), bytes(8)]);
    const peeked = await peekBody(body, () => undefined);
    expect(peeked.answer).toBeUndefined();
    expect([...(await readBody(peeked.body))]).toEqual([7, 8]);
  });

  it('closes the body when its reader stops early', async () => {
    const { body, seen } = watchedBody([bytes(1), bytes(2), bytes(3)]);
    const peeked = await peekBody(body, () => true);
    for await (const _chunk of peeked.body) break;
    expect(seen.closed).toBe(true);
    expect(seen.taken).toBe(1);
  });
});
