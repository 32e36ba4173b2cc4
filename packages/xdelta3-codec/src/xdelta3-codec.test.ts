import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
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

/** `xdelta3 -d -f -s REF DELTA OUT`, the Python DeltaGlider's decode. */
function pythonToolDecode(reference: Uint8Array, delta: Uint8Array): Buffer {
  const [referencePath, deltaPath, outPath] = ['python-ref', 'python.delta', 'python.out'].map(
    (name) => join(scratch, name),
  );
  writeFileSync(referencePath!, reference);
  writeFileSync(deltaPath!, delta);
  execFileSync('xdelta3', ['-d', '-f', '-s', referencePath!, deltaPath!, outPath!], {
    stdio: 'ignore',
  });
  return readFileSync(outPath!);
}

/** The xdelta3 program's own delta, with `flags`. */
function xdelta3Encode(reference: Uint8Array, target: Uint8Array, flags: string[]): Uint8Array {
  const [referencePath, targetPath, deltaPath] = ['own-ref', 'own-target', 'own.delta'].map(
    (name) => join(scratch, name),
  );
  writeFileSync(referencePath!, reference);
  writeFileSync(targetPath!, target);
  execFileSync(
    'xdelta3',
    ['-e', '-f', '-9', ...flags, '-s', referencePath!, targetPath!, deltaPath!],
    {
      stdio: 'ignore',
    },
  );
  return readFileSync(deltaPath!);
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

  describe('compressed files (xdelta3 decompresses a gzip, compress, bzip2 or xz input it sniffs)', () => {
    // Two releases as gzip -9 makes them; xdelta3 would recompress with gzip's default level.
    const releases = () => {
      const reference = gzipSync(archiveVersion(0, 400_000), { level: 9 });
      const target = gzipSync(archiveVersion(4, 400_000), { level: 9 });
      return { reference, target };
    };

    it('rebuilds a .tar.gz release byte for byte, here and with xdelta3 -d as the Python tool runs it', async () => {
      const { reference, target } = releases();
      const delta = await encode(reference, target);
      expect(Buffer.from(await decode(reference, delta)).equals(target)).toBe(true);
      expect(pythonToolDecode(reference, delta).equals(target)).toBe(true);
    });

    it('reads a delta made against the compressed bytes that names no compression (our older ones)', async () => {
      const { reference, target } = releases();
      // Without an application header (-A), as the built-in encoder wrote them before.
      const delta = xdelta3Encode(reference, target, ['-D', '-A']);
      expect(Buffer.from(await decode(reference, delta)).equals(target)).toBe(true);
    });

    it('reads a delta the Python tool made of the decompressed files, as the Python tool does', async () => {
      // gzip's own default output, which xdelta3 recompresses to the same bytes.
      const gzip = (bytes: Uint8Array) => execFileSync('gzip', ['-c', '-n'], { input: bytes });
      const reference = gzip(archiveVersion(0, 400_000));
      const target = gzip(archiveVersion(4, 400_000));
      const delta = xdelta3Encode(reference, target, []);
      expect(Buffer.from(await decode(reference, delta)).equals(target)).toBe(true);
    });
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
