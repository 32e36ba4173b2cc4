import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomically } from './file-transfer.js';

// A download's writer: the file appears whole or not at all, and each chunk is written to its
// end before the next is asked for, since a codec may rebuild the next one in the same memory.

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dg-file-transfer-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('writeFileAtomically', () => {
  it('writes each chunk before it asks for the next: a body that reuses its memory arrives whole', async () => {
    const shared = new Uint8Array(1024 * 1024);
    async function* reusing(): AsyncGenerator<Uint8Array> {
      for (let chunk = 0; chunk < 12; chunk++) {
        shared.fill(chunk);
        yield shared;
      }
      shared.fill(0xff); // after the last chunk too: it must be written by now
    }
    const destination = join(directory, 'rebuilt.bin');
    await writeFileAtomically(destination, reusing());
    const written = await readFile(destination);
    expect(written.length).toBe(12 * shared.length);
    for (let chunk = 0; chunk < 12; chunk++)
      expect(
        written
          .subarray(chunk * shared.length, (chunk + 1) * shared.length)
          .every((byte) => byte === chunk),
      ).toBe(true);
    expect(await readdir(directory)).toEqual(['rebuilt.bin']);
  });

  it('ends at once when aborted while the body is stalled, and leaves nothing', async () => {
    let returned = false;
    const stalled: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => {
        let sent = false;
        return {
          next: async () => {
            if (sent) return new Promise<IteratorResult<Uint8Array>>(() => undefined);
            sent = true;
            return { done: false, value: new Uint8Array(1000) };
          },
          return: async () => {
            returned = true;
            return { done: true, value: undefined };
          },
        };
      },
    };
    const controller = new AbortController();
    const writing = writeFileAtomically(join(directory, 'stalled.bin'), stalled, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(writing).rejects.toMatchObject({ name: 'AbortError' });
    expect(returned).toBe(true);
    expect(await readdir(directory)).toEqual([]);
  });

  it('leaves nothing when the body fails midway', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1000);
      throw new Error('the delta is corrupt');
    }
    await expect(writeFileAtomically(join(directory, 'failed.bin'), failing())).rejects.toThrow(
      'the delta is corrupt',
    );
    expect(await readdir(directory)).toEqual([]);
  });
});
