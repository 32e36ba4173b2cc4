import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodecError } from './codec-error.js';
import { decodeVcdiff } from './decode-vcdiff.js';
import { xdelta3Delta } from './test-support/xdelta3-program.js';

// Deltas written by the stock xdelta3 program, decoded here byte for byte.

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-vcdiff-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A release-like pair: the second inserts, deletes and edits, and grows. */
function versions(size: number): [Uint8Array, Uint8Array] {
  const text = Buffer.from(
    Array.from({ length: size / 40 }, (_, line) => `line ${line}: some repeated text\n`).join(''),
  );
  const reference = Buffer.concat([text, randomBytes(size / 4)]);
  const target = Buffer.concat([
    reference.subarray(0, 1000),
    Buffer.from('inserted bytes'),
    reference.subarray(1200, reference.length / 2),
    Buffer.alloc(5000, 7),
    reference.subarray(reference.length / 2 + 10),
    randomBytes(3000),
  ]);
  return [reference, target];
}

describe('decodeVcdiff', () => {
  it.each([
    [['-S', 'none']],
    [['-S', 'none', '-A']],
    [['-S', 'none', '-n']],
    [['-9', '-S', 'none']],
    // Many small windows over a source window smaller than the file.
    [['-1', '-S', 'none', '-B', String(512 * 1024), '-W', String(16 * 1024)]],
  ])('decodes xdelta3 %j deltas byte for byte', async (flags) => {
    const [reference, target] = versions(1_200_000);
    const delta = await xdelta3Delta(scratch, reference, target, flags);
    expect(Buffer.from(decodeVcdiff(reference, delta)).equals(Buffer.from(target))).toBe(true);
  });

  it('decodes a delta against an empty reference (everything added)', async () => {
    const [, target] = versions(40_000);
    const delta = await xdelta3Delta(scratch, new Uint8Array(0), target, ['-S', 'none']);
    expect(Buffer.from(decodeVcdiff(new Uint8Array(0), delta)).equals(Buffer.from(target))).toBe(
      true,
    );
  });

  it('refuses the wrong reference, garbage and truncation with a CodecError', async () => {
    const [reference, target] = versions(100_000);
    const delta = await xdelta3Delta(scratch, reference, target, ['-S', 'none']);
    const other = Uint8Array.from(reference).reverse();
    expect(() => decodeVcdiff(other, delta)).toThrow(CodecError);
    expect(() => decodeVcdiff(reference, new TextEncoder().encode('not vcdiff'))).toThrow(
      CodecError,
    );
    for (const cut of [3, 10, delta.length / 2, delta.length - 1])
      expect(() => decodeVcdiff(reference, delta.subarray(0, cut))).toThrow(CodecError);
  });

  it.each([
    ['djw', 'DJW'],
    ['fgk', 'FGK'],
  ])('refuses -S %s secondary compression, naming it and the way out', async (flag, name) => {
    const [reference, target] = versions(100_000);
    const delta = await xdelta3Delta(scratch, reference, target, ['-S', flag]);
    expect(() => decodeVcdiff(reference, delta)).toThrow(
      new RegExp(`${name} secondary compression.*DG_CODEC=xdelta3`),
    );
  });
});

describe('decodeVcdiff with secondary compression', () => {
  it.each([
    [[]],
    [['-9']],
    [['-1']],
    [['-9', '-A']],
    [['-S', 'lzma', '-B', String(512 * 1024), '-W', String(16 * 1024)]],
  ])('decodes xdelta3 %j deltas (LZMA secondary compression) byte for byte', async (flags) => {
    const [reference, target] = versions(1_200_000);
    const delta = await xdelta3Delta(scratch, reference, target, flags);
    expect(delta[4]! & 1).toBe(1);
    expect(Buffer.from(decodeVcdiff(reference, delta)).equals(Buffer.from(target))).toBe(true);
  });
});
