import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomically } from './file-transfer.js';

// A download's writer: the file appears whole or not at all, and a chunk's write ends before the
// chunk after the next is asked for, since a codec may hand chunks over in two buffers by turns.

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dg-file-transfer-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('writeFileAtomically', () => {
  it('lets go of each chunk by the one after next: a body that hands chunks over in two buffers by turns arrives whole', async () => {
    const buffers = [new Uint8Array(1024 * 1024), new Uint8Array(1024 * 1024)];
    async function* byTurns(): AsyncGenerator<Uint8Array> {
      for (let chunk = 0; chunk < 12; chunk++) {
        const buffer = buffers[chunk % 2]!;
        buffer.fill(chunk);
        yield buffer;
      }
      buffers[0]!.fill(0xff); // the one before the last: it must be written by now
    }
    const destination = join(directory, 'rebuilt.bin');
    await writeFileAtomically(destination, byTurns());
    const written = await readFile(destination);
    const size = buffers[0]!.length;
    expect(written.length).toBe(12 * size);
    for (let chunk = 0; chunk < 12; chunk++) {
      const part = written.subarray(chunk * size, (chunk + 1) * size);
      expect(part.every((byte) => byte === chunk)).toBe(true);
    }
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
