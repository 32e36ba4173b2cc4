import { readdirSync, statSync } from 'node:fs';
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
    // Small chunks: a stream's buffer would take several of them at once.
    const size = 4096;
    const count = 40;
    const buffers = [new Uint8Array(size), new Uint8Array(size)];
    // Before a buffer is filled again, the chunk it held must be in the file: the temp file
    // holds every chunk up to the one before the last handed over.
    const early: number[] = [];
    // Looked at without a turn of the event loop, which would let writes in flight finish.
    const writtenSoFar = () => {
      const temp = readdirSync(directory).find((name) => name.endsWith('.dg-tmp'));
      return temp ? statSync(join(directory, temp)).size : 0;
    };
    async function* byTurns(): AsyncGenerator<Uint8Array> {
      for (let chunk = 0; chunk < count; chunk++) {
        if (chunk >= 2 && writtenSoFar() < (chunk - 1) * size) early.push(chunk);
        const buffer = buffers[chunk % 2]!;
        buffer.fill(chunk);
        yield buffer;
      }
      if (writtenSoFar() < (count - 1) * size) early.push(count);
      buffers[0]!.fill(0xff);
    }
    const destination = join(directory, 'rebuilt.bin');
    await writeFileAtomically(destination, byTurns());
    expect(early).toEqual([]);
    const written = await readFile(destination);
    expect(written.length).toBe(count * size);
    for (let chunk = 0; chunk < count; chunk++) {
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

  it('ends on an abort during a write, while a body that stops on the same abort fails after', async () => {
    const controller = new AbortController();
    async function* stopsOnAbort(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(64 * 1024 * 1024); // long enough to write for the abort to land
      yield new Uint8Array(1000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.signal.throwIfAborted();
      yield new Uint8Array(1000);
    }
    setTimeout(() => controller.abort(), 5);
    await expect(
      writeFileAtomically(join(directory, 'aborted.bin'), stopsOnAbort(), {
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    // The body's own failure came after the writer had given up: nothing unhandled, nothing left.
    await new Promise((resolve) => setTimeout(resolve, 50));
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
