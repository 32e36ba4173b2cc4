import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBody } from '@deltaglider/core/adapter-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDirectoryReferenceCache } from './reference-cache.js';

let directory: string;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
async function* stream(bytes: Uint8Array) {
  yield bytes;
}

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'dg-refcache-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('the directory reference cache', () => {
  it('files a reference under the hash of what streamed by, and serves it as a local file', async () => {
    const cache = createDirectoryReferenceCache(directory);
    const bytes = randomBytes(100_000);
    const { sha256: filed, source } = await cache.put(stream(bytes));
    expect(filed).toBe(sha256(bytes));
    expect(source.localPath).toBe(join(directory, 'references', filed));
    const again = await cache.get(filed);
    expect(again && Buffer.from(await readBody(again.read())).equals(bytes)).toBe(true);
  });

  it('drops a damaged entry instead of serving it', async () => {
    const cache = createDirectoryReferenceCache(directory);
    const { sha256: filed } = await cache.put(stream(randomBytes(1000)));
    await writeFile(join(directory, 'references', filed), 'tampered');
    expect(await cache.get(filed)).toBeUndefined();
    expect(await readdir(join(directory, 'references'))).toEqual([]);
  });

  it('keeps at most maxBytes, dropping the least recently used first', async () => {
    const cache = createDirectoryReferenceCache(directory, { maxBytes: 250_000, inUseGraceMs: 0 });
    const first = await cache.put(stream(randomBytes(100_000)));
    const second = await cache.put(stream(randomBytes(100_000)));
    // The first is used again after the second was written: the second is now the oldest.
    const later = new Date(Date.now() + 5_000);
    await utimes(join(directory, 'references', first.sha256), later, later);
    const third = await cache.put(stream(randomBytes(100_000)));
    expect((await readdir(join(directory, 'references'))).sort()).toEqual(
      [first.sha256, third.sha256].sort(),
    );
    expect(await cache.get(second.sha256)).toBeUndefined();
  });

  it('never drops an entry used within the grace period, even over the cap', async () => {
    const cache = createDirectoryReferenceCache(directory, { maxBytes: 150_000 });
    await cache.put(stream(randomBytes(100_000)));
    await cache.put(stream(randomBytes(100_000)));
    expect(await readdir(join(directory, 'references'))).toHaveLength(2);
  });

  it('prune empties it', async () => {
    const cache = createDirectoryReferenceCache(directory);
    await cache.put(stream(randomBytes(1000)));
    await cache.put(stream(randomBytes(2000)));
    expect(await cache.prune()).toEqual({ removed: 2, bytes: 3000 });
    expect(await readdir(join(directory, 'references'))).toEqual([]);
  });

  it('is shared safely by processes writing the same reference at once', async () => {
    const bytes = randomBytes(5_000_000);
    const input = join(directory, 'input');
    await writeFile(input, bytes);
    const script = `
      import { createReadStream } from 'node:fs';
      import { createDirectoryReferenceCache } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
      const cache = createDirectoryReferenceCache(${JSON.stringify(directory)});
      const { sha256 } = await cache.put(createReadStream(${JSON.stringify(input)}));
      process.stdout.write(sha256);`;
    const writers = Array.from(
      { length: 6 },
      () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => {
            out += chunk.toString();
          });
          child.on('error', reject);
          child.on('close', (code) =>
            code === 0 ? resolve(out) : reject(new Error(`exit ${code}`)),
          );
        }),
    );
    const filed = await Promise.all(writers);
    expect(new Set(filed)).toEqual(new Set([sha256(bytes)]));
    expect(await readdir(join(directory, 'references'))).toEqual([sha256(bytes)]);
    const cache = createDirectoryReferenceCache(directory);
    expect((await cache.get(sha256(bytes)))?.size).toBe(bytes.length);
  });
});
