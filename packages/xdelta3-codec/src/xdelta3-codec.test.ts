import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodecError, CodecUnavailableError } from '@deltaglider/core';
import { bytesSource, readBody } from '@deltaglider/core/adapter-kit';
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

/** Encodes in memory: the spooled delta's bytes, its temp file removed. */
async function encode(reference: Uint8Array, target: Uint8Array): Promise<Uint8Array> {
  const spooled = await codec.encode(bytesSource(reference), bytesSource(target));
  try {
    const bytes = await readBody(spooled.read());
    expect(bytes.byteLength).toBe(spooled.size);
    return bytes;
  } finally {
    await spooled.dispose();
  }
}

async function decode(reference: Uint8Array, delta: Uint8Array): Promise<Uint8Array> {
  return readBody(codec.decode(bytesSource(reference), bytesSource(delta).read()));
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
    const delta = await encode(reference, target);
    expect(delta.byteLength).toBeLessThan(target.byteLength / 10);
    expect(Buffer.from(await decode(reference, delta)).equals(Buffer.from(target))).toBe(true);
  });

  it('writes deltas the stock xdelta3 -d decodes', async () => {
    const reference = archiveVersion(0);
    const target = archiveVersion(5);
    await writeFile(join(scratch, 'reference.bin'), reference);
    await writeFile(join(scratch, 'v5.delta'), await encode(reference, target));
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
      decode(archiveVersion(0), new TextEncoder().encode('not vcdiff')),
    ).rejects.toSatisfy(CodecError.isInstance);
  });

  it('leaves no temp files behind, whether it worked, failed or was stopped early', async () => {
    const temp = join(scratch, 'temp');
    const { mkdir, readdir } = await import('node:fs/promises');
    await mkdir(temp);
    const counted = createXdelta3Codec({ tempDirectory: temp });
    const reference = bytesSource(archiveVersion(0, 2_000_000));
    const spooled = await counted.encode(reference, bytesSource(archiveVersion(7, 2_000_000)));
    for await (const _chunk of counted.decode(reference, spooled.read())) break;
    await spooled.dispose();
    await expect(
      readBody(counted.decode(reference, bytesSource(new Uint8Array(64)).read())),
    ).rejects.toSatisfy(CodecError.isInstance);
    expect(await readdir(temp)).toEqual([]);
  });

  it('names the package to install when the program is missing', async () => {
    const missing = createXdelta3Codec({ binary: 'xdelta3-not-installed-here' });
    const error = await missing
      .encode(bytesSource(archiveVersion(0)), bytesSource(archiveVersion(1)))
      .catch((caught: unknown) => caught);
    expect(CodecUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('apt-get install xdelta3');
  });
});
