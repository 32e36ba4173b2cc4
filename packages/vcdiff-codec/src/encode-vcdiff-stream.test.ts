import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeVcdiff } from './decode-vcdiff.js';
import { encodeVcdiffStream, type VcdiffEncodeOptions } from './encode-vcdiff-stream.js';
import { bytesSource } from './test-support/bytes-source.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-vcdiff-encode-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function encode(reference: Uint8Array, target: Uint8Array, options?: VcdiffEncodeOptions) {
  const parts: Uint8Array[] = [];
  for await (const part of encodeVcdiffStream(bytesSource(reference), bytesSource(target), options))
    parts.push(part);
  return Buffer.concat(parts);
}

/** What the stock xdelta3 program rebuilds from our delta. */
async function xdelta3Decode(reference: Uint8Array, delta: Uint8Array): Promise<Buffer> {
  const [referencePath, deltaPath, outPath] = ['ref', 'delta', 'out'].map((n) => join(scratch, n));
  await writeFile(referencePath!, reference);
  await writeFile(deltaPath!, delta);
  execFileSync('xdelta3', ['-d', '-f', '-s', referencePath!, deltaPath!, outPath!]);
  return readFile(outPath!);
}

async function xdelta3EncodeSize(
  reference: Uint8Array,
  target: Uint8Array,
  flags: readonly string[],
): Promise<number> {
  const [referencePath, targetPath, deltaPath] = ['ref', 'target', 'delta'].map((n) =>
    join(scratch, n),
  );
  await writeFile(referencePath!, reference);
  await writeFile(targetPath!, target);
  execFileSync('xdelta3', ['-e', '-f', ...flags, '-s', referencePath!, targetPath!, deltaPath!]);
  return (await readFile(deltaPath!)).length;
}

/** A release-like pair: edits, inserts, a deletion, a run of zeros and fresh bytes. */
function versions(size: number): [Buffer, Buffer] {
  const reference = randomBytes(size);
  const target = Buffer.concat([
    reference.subarray(0, 1000),
    Buffer.from('inserted bytes'),
    reference.subarray(1200, size / 2),
    Buffer.alloc(5000, 0),
    reference.subarray(size / 2 + 10, size - 100),
    randomBytes(3000),
  ]);
  return [reference, target];
}

describe('encodeVcdiffStream', () => {
  it.each([
    ['one window', 1_000_000, {}],
    [
      'many windows over a sliding source window',
      3_000_000,
      { windowSize: 256 * 1024, sourceWindowSize: 1024 * 1024 },
    ],
  ])(
    '%s: xdelta3 and our decoder rebuild the file, and the delta is small',
    async (_, size, options) => {
      const [reference, target] = versions(size);
      const delta = await encode(reference, target, options);
      expect((await xdelta3Decode(reference, delta)).equals(target)).toBe(true);
      expect(Buffer.from(decodeVcdiff(reference, delta)).equals(target)).toBe(true);
      expect(delta.length).toBeLessThan(10_000);
    },
  );

  it('is no bigger than xdelta3 -9 on a shifted copy, with and without secondary compression', async () => {
    const [reference, target] = versions(2_000_000);
    const ours = await encode(reference, target);
    expect(ours.length).toBeLessThanOrEqual(await xdelta3EncodeSize(reference, target, ['-9']));
    expect((await xdelta3Decode(reference, ours)).equals(target)).toBe(true);
    const plain = await encode(reference, target, { secondary: false });
    expect(plain.length).toBeLessThanOrEqual(
      await xdelta3EncodeSize(reference, target, ['-9', '-S', 'none']),
    );
    expect((await xdelta3Decode(reference, plain)).equals(target)).toBe(true);
  });

  it('encodes files shorter than a block (a window of a few bytes once never ended)', async () => {
    const reference = randomBytes(10_000);
    for (const target of [reference.subarray(100, 113), Buffer.from('new'), Buffer.alloc(15, 7)]) {
      const delta = await encode(reference, target, { windowSize: 4096 });
      expect((await xdelta3Decode(reference, delta)).equals(target)).toBe(true);
      expect(Buffer.from(decodeVcdiff(reference, delta)).equals(target)).toBe(true);
    }
  });

  it('encodes against an empty reference, and an empty target', async () => {
    const target = randomBytes(50_000);
    const added = await encode(new Uint8Array(0), target);
    expect((await xdelta3Decode(new Uint8Array(0), added)).equals(target)).toBe(true);
    const empty = await encode(target, new Uint8Array(0));
    expect((await xdelta3Decode(target, empty)).length).toBe(0);
    expect(decodeVcdiff(target, empty).length).toBe(0);
  });

  it('writes a repeat within the new file once, at every level, with or without LZMA', async () => {
    // Levels 1-2 leave repeats to LZMA instead of copying them; plain VCDIFF has no LZMA, so
    // there every level copies them.
    const part = randomBytes(100_000);
    const target = Buffer.concat([part, Buffer.from('between'), part]);
    for (const level of [1, 2, 6])
      for (const secondary of [true, false]) {
        const delta = await encode(new Uint8Array(0), target, { level, secondary });
        expect((await xdelta3Decode(new Uint8Array(0), delta)).equals(target)).toBe(true);
        expect(delta.length, `level ${level}, secondary ${secondary}`).toBeLessThan(101_000);
      }
  });

  it('finds matches when the target moved far from where it sat in the reference', async () => {
    const blocks = Array.from({ length: 8 }, () => randomBytes(256 * 1024));
    const reference = Buffer.concat(blocks);
    const target = Buffer.concat([...blocks.slice(4), randomBytes(100_000), ...blocks.slice(0, 4)]);
    const delta = await encode(reference, target, {
      windowSize: 256 * 1024,
      sourceWindowSize: 4 * 1024 * 1024,
    });
    expect((await xdelta3Decode(reference, delta)).equals(target)).toBe(true);
    expect(delta.length).toBeLessThan(110_000);
  });
});
