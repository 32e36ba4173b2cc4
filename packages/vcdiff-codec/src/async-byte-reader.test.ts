import { describe, expect, it } from 'vitest';
import { AsyncByteReader } from './async-byte-reader.js';

/** A stream of `count` chunks of `size` bytes (byte i of the stream is i % 256), counting pulls. */
function countedStream(count: number, size: number, failAt?: number) {
  const seen = { pulled: 0, returned: false };
  async function* chunks() {
    try {
      for (let index = 0; index < count; index++) {
        await new Promise((resolve) => setImmediate(resolve));
        if (index === failAt) throw new Error('the connection dropped');
        seen.pulled++;
        yield Uint8Array.from({ length: size }, (_, at) => (index * size + at) % 256);
      }
    } finally {
      seen.returned = true;
    }
  }
  return { stream: chunks(), seen };
}

const turns = async (count: number) => {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('AsyncByteReader', () => {
  it('reads ahead while its caller awaits something else, as far as asked and no further', async () => {
    const { stream, seen } = countedStream(20, 100);
    const reader = new AsyncByteReader(stream);
    await reader.take(150);
    expect(seen.pulled).toBe(2);

    reader.readAhead(500); // 50 bytes of the second chunk are left: five more chunks are 500
    await turns(40);
    expect(seen.pulled).toBe(7);

    const bytes = await reader.take(600);
    expect(bytes).toEqual(Uint8Array.from({ length: 600 }, (_, at) => (150 + at) % 256));
    expect(seen.pulled).toBe(8);
    expect(await reader.atEnd()).toBe(false);
  });

  it('fails the next take with the error of a stream that fails while read ahead, and closes it', async () => {
    const { stream, seen } = countedStream(20, 100, 3);
    const reader = new AsyncByteReader(stream);
    await reader.take(10);
    reader.readAhead(1000);
    await turns(40);
    expect(seen.pulled).toBe(3);
    await expect(reader.take(300)).rejects.toThrow('the connection dropped');
    await reader.close();
    expect(seen.returned).toBe(true);
  });

  it('waits for a pull in flight before it closes the stream', async () => {
    const { stream, seen } = countedStream(20, 100);
    const reader = new AsyncByteReader(stream);
    await reader.take(10);
    reader.readAhead(1000);
    await reader.close();
    expect(seen.returned).toBe(true);
    expect(seen.pulled).toBeLessThan(20);
  });
});
