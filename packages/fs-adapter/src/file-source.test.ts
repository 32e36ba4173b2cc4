import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBody } from '@deltaglider/core/adapter-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OBJECT_CHUNK_BYTES } from './file-chunks.js';
import { fileSource } from './file-source.js';
import { onLinux, openFiles } from './test-support/open-files.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-file-source-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('fileSource', () => {
  it.runIf(onLinux)(
    'serves parallel positioned reads from one open file, closed when the last one ends',
    async () => {
      const bytes = randomBytes(4 * 1024 * 1024);
      const path = join(scratch, 'reference');
      await writeFile(path, bytes);
      const source = fileSource(path, bytes.length);
      const before = openFiles();
      let most = 0;
      const into = new Uint8Array(bytes.length);
      const reads = Array.from({ length: 64 }, (_, index) => {
        const start = index * 65_536;
        return source.readInto!(into, start, { start, end: start + 65_536 }).then(() => {
          most = Math.max(most, openFiles() - before);
        });
      });
      await Promise.all(reads);
      expect(Buffer.from(into).equals(bytes)).toBe(true);
      expect(most).toBeLessThanOrEqual(1);
      expect(openFiles()).toBe(before);
      // Later reads open it again: nothing is held between them.
      await source.readInto!(into, 0, { start: 0, end: 10 });
      expect(openFiles()).toBe(before);
    },
  );

  it.runIf(onLinux)(
    'reads a range in chunks of its own, opens the file only once read, and ends where a shrunk file ends',
    async () => {
      const bytes = randomBytes(OBJECT_CHUNK_BYTES + 100);
      const path = join(scratch, 'ranged');
      await writeFile(path, bytes);
      const before = openFiles();
      const chunks: Uint8Array[] = [];
      const reading = fileSource(path, bytes.length).read({ start: 50, end: bytes.length - 10 });
      expect(openFiles()).toBe(before);
      for await (const chunk of reading) chunks.push(chunk);
      expect(chunks.map((chunk) => chunk.length)).toEqual([OBJECT_CHUNK_BYTES, 40]);
      expect(Buffer.concat(chunks).equals(bytes.subarray(50, bytes.length - 10))).toBe(true);
      expect(openFiles()).toBe(before);
      // A file that shrank since its size was taken ends early; the upload's check finds it.
      const shrunk = await readBody(fileSource(path, bytes.length + 1).read());
      expect(Buffer.from(shrunk).equals(bytes)).toBe(true);
      expect(openFiles()).toBe(before);
    },
  );

  it('fails every read of a file that cannot be opened, and the next read tries again', async () => {
    const path = join(scratch, 'missing');
    const source = fileSource(path, 10);
    const into = new Uint8Array(10);
    const reads = [0, 1, 2].map(() => source.readInto!(into, 0, { start: 0, end: 10 }));
    for (const read of reads) await expect(read).rejects.toThrow(/ENOENT/);
    await writeFile(path, Buffer.alloc(10, 7));
    await source.readInto!(into, 0, { start: 0, end: 10 });
    expect([...into]).toEqual(Array(10).fill(7));
  });
});
