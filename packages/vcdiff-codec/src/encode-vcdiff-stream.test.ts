import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeVcdiff } from './decode-vcdiff.js';
import { decodeVcdiffStream } from './decode-vcdiff-stream.js';
import { encodeVcdiffStream, type VcdiffEncodeOptions } from './encode-vcdiff-stream.js';
import { bytesSource } from './test-support/bytes-source.js';
import { xdelta3Delta, xdelta3Rebuild } from './test-support/xdelta3-program.js';

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

/** What our streaming decoder rebuilds, reading the reference by range as the SDK does. */
async function decodeStream(reference: Uint8Array, delta: Uint8Array): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of decodeVcdiffStream(bytesSource(reference), bytesSource(delta).read()))
    parts.push(part);
  return Buffer.concat(parts);
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
      expect((await xdelta3Rebuild(scratch, reference, delta)).equals(target)).toBe(true);
      expect(Buffer.from(decodeVcdiff(reference, delta)).equals(target)).toBe(true);
      expect(delta.length).toBeLessThan(10_000);
    },
  );

  it('is no bigger than xdelta3 -9 on a shifted copy, with and without secondary compression', async () => {
    const [reference, target] = versions(2_000_000);
    const ours = await encode(reference, target);
    expect(ours.length).toBeLessThanOrEqual(
      (await xdelta3Delta(scratch, reference, target, ['-9'])).length,
    );
    expect((await xdelta3Rebuild(scratch, reference, ours)).equals(target)).toBe(true);
    const plain = await encode(reference, target, { secondary: false });
    expect(plain.length).toBeLessThanOrEqual(
      (await xdelta3Delta(scratch, reference, target, ['-9', '-S', 'none'])).length,
    );
    expect((await xdelta3Rebuild(scratch, reference, plain)).equals(target)).toBe(true);
  });

  it('encodes files shorter than a block (a window of a few bytes once never ended)', async () => {
    const reference = randomBytes(10_000);
    for (const target of [reference.subarray(100, 113), Buffer.from('new'), Buffer.alloc(15, 7)]) {
      const delta = await encode(reference, target, { windowSize: 4096 });
      expect((await xdelta3Rebuild(scratch, reference, delta)).equals(target)).toBe(true);
      expect(Buffer.from(decodeVcdiff(reference, delta)).equals(target)).toBe(true);
    }
  });

  it('encodes against an empty reference, and an empty target', async () => {
    const target = randomBytes(50_000);
    const added = await encode(new Uint8Array(0), target);
    expect((await xdelta3Rebuild(scratch, new Uint8Array(0), added)).equals(target)).toBe(true);
    const empty = await encode(target, new Uint8Array(0));
    expect((await xdelta3Rebuild(scratch, target, empty)).length).toBe(0);
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
        expect((await xdelta3Rebuild(scratch, new Uint8Array(0), delta)).equals(target)).toBe(true);
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
    expect((await xdelta3Rebuild(scratch, reference, delta)).equals(target)).toBe(true);
    expect(delta.length).toBeLessThan(110_000);
  });

  it('follows a file through many small edits, and still finds what moved across the window', async () => {
    // Until new bytes call for the whole window's index, the reference is searched only near
    // where the last long copy says the bytes are: edits resync there. The piece moved from the
    // end to the front is new bytes to the near index, so it needs the whole one.
    const reference = randomBytes(4 * 1024 * 1024);
    const parts: Uint8Array[] = [reference.subarray(reference.length - 100_000)];
    let at = 0;
    for (let edit = 0; edit < 200; edit++) {
      const next = at + 10_000 + ((edit * 7919) % 9_000);
      parts.push(reference.subarray(at, next));
      // An insertion of 10 bytes, or 10 bytes deleted.
      if (edit % 2 === 0) parts.push(randomBytes(10));
      at = next + (edit % 2 === 1 ? 10 : 0);
    }
    parts.push(reference.subarray(at, reference.length - 100_000));
    const target = Buffer.concat(parts);
    for (const level of [1, 6]) {
      const delta = await encode(reference, target, { level });
      expect((await xdelta3Rebuild(scratch, reference, delta)).equals(target)).toBe(true);
      expect(Buffer.from(await decodeStream(reference, delta)).equals(target)).toBe(true);
      // 1,000 new random bytes, 300 copies' instructions and addresses.
      expect(delta.length, `level ${level}`).toBeLessThan(5_000);
    }
  });

  it('copies content moved further than the source window reaches: the index covers the whole reference', async () => {
    // 16 pieces of 256 KiB shuffled, against a 1 MiB source window: most pieces sit outside the
    // window where the target reaches them. A window as large as the file finds them all.
    const pieces = Array.from({ length: 16 }, () => randomBytes(256 * 1024));
    const reference = Buffer.concat(pieces);
    const order = [13, 2, 9, 15, 0, 6, 11, 4, 8, 14, 1, 7, 12, 3, 10, 5];
    const target = Buffer.concat([
      ...order.slice(0, 8).map((index) => pieces[index]!),
      randomBytes(10_000),
      ...order.slice(8).map((index) => pieces[index]!.subarray(1000)),
    ]);
    for (const level of [1, 6]) {
      const delta = await encode(reference, target, {
        level,
        windowSize: 256 * 1024,
        sourceWindowSize: 1024 * 1024,
      });
      expect((await xdelta3Rebuild(scratch, reference, delta)).equals(target)).toBe(true);
      expect(Buffer.from(decodeVcdiff(reference, delta)).equals(target)).toBe(true);
      expect(Buffer.from(await decodeStream(reference, delta)).equals(target)).toBe(true);
      expect(delta.length, `level ${level}`).toBeLessThan(12_000);
    }
  });

  it('copies moved records from far away even where the source window has look-alikes of them', async () => {
    // Records of a 40-byte header every one shares and 24 bytes of their own: the window near
    // the target holds a look-alike of every header, and copies of them leave only 24 new bytes
    // at a time, too few to search. The far index is searched wherever the window found only
    // short copies, and finds the moved pieces whole.
    const header = Buffer.from('record v1 | schema 7 | flags rw- | pad: ');
    const text = (size: number) =>
      Buffer.concat(
        Array.from({ length: size / 64 }, () => Buffer.concat([header, randomBytes(24)])),
      );
    const pieces = Array.from({ length: 16 }, () => text(256 * 1024));
    const reference = Buffer.concat(pieces);
    const order = [13, 2, 9, 15, 0, 6, 11, 4, 8, 14, 1, 7, 12, 3, 10, 5];
    const target = Buffer.concat(order.map((index) => pieces[index]!));
    const delta = await encode(reference, target, {
      windowSize: 256 * 1024,
      sourceWindowSize: 1024 * 1024,
    });
    expect((await xdelta3Rebuild(scratch, reference, delta)).equals(target)).toBe(true);
    expect(Buffer.from(await decodeStream(reference, delta)).equals(target)).toBe(true);
    expect(delta.length).toBeLessThan(5_000);
  });
});
