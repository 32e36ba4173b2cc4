import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodecError, CodecUnavailableError } from '@deltaglider/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createXdelta3Codec } from './xdelta3-codec.js';

const codec = createXdelta3Codec();
let scratch: string;

function archiveVersion(version: number, size = 200_000): Uint8Array {
  const bytes = new Uint8Array(size + version * 1000);
  for (let index = 0; index < bytes.length; index++)
    bytes[index] = (index * 31 + (index % 997 === 0 ? version : 0)) % 251;
  return bytes;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-codec-test-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('xdelta3 codec', () => {
  it('round-trips a new version through a small delta', async () => {
    const reference = archiveVersion(0);
    const target = archiveVersion(3);
    const delta = await codec.encode(reference, target);
    expect(delta.byteLength).toBeLessThan(target.byteLength / 10);
    expect(Buffer.from(await codec.decode(reference, delta)).equals(Buffer.from(target))).toBe(
      true,
    );
  });

  it('writes deltas the stock xdelta3 -d decodes', async () => {
    const reference = archiveVersion(0);
    const target = archiveVersion(5);
    await writeFile(join(scratch, 'reference.bin'), reference);
    await writeFile(join(scratch, 'v5.delta'), await codec.encode(reference, target));
    execFileSync('xdelta3', [
      '-d',
      '-f',
      '-s',
      join(scratch, 'reference.bin'),
      join(scratch, 'v5.delta'),
      join(scratch, 'v5'),
    ]);
    expect((await readFile(join(scratch, 'v5'))).equals(Buffer.from(target))).toBe(true);
  });

  it('refuses bytes that are not a delta with a CodecError', async () => {
    await expect(
      codec.decode(archiveVersion(0), new TextEncoder().encode('not vcdiff')),
    ).rejects.toSatisfy(CodecError.isInstance);
  });

  it('names the package to install when the program is missing', async () => {
    const missing = createXdelta3Codec({ binary: 'xdelta3-not-installed-here' });
    const error = await missing
      .encode(archiveVersion(0), archiveVersion(1))
      .catch((caught: unknown) => caught);
    expect(CodecUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('apt-get install xdelta3');
  });
});
