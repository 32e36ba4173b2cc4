import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodecError } from './codec-error.js';
import { decodeVcdiff } from './decode-vcdiff.js';
import { encodeVcdiffStream } from './encode-vcdiff-stream.js';
import { readsDeltaHeader } from './reads-delta-header.js';
import { bytesSource } from './test-support/bytes-source.js';
import { xdelta3Delta } from './test-support/xdelta3-program.js';

// A caller with the xdelta3 program at hand decides from a delta's first bytes which decoder
// rebuilds it: the header must say what the whole decode would say, and nothing before the
// header has been read whole.

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-reads-header-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const reference = randomBytes(200_000);
const target = Buffer.concat([
  reference.subarray(0, 90_000),
  randomBytes(300),
  reference.subarray(90_000),
]);

async function ourDelta(): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of encodeVcdiffStream(bytesSource(reference), bytesSource(target)))
    parts.push(part);
  return Buffer.concat(parts);
}

/** Whether our decoder rebuilds the delta's file, or refuses it with a CodecError. */
function decodes(from: Uint8Array, delta: Uint8Array): boolean {
  try {
    decodeVcdiff(from, delta);
    return true;
  } catch (error) {
    if (error instanceof CodecError) return false;
    throw error;
  }
}

describe('readsDeltaHeader', () => {
  it.each([
    ['ours (LZMA, -//-/none)', async () => ourDelta(), reference, true],
    ['xdelta3 -9 (LZMA)', () => xdelta3Delta(scratch, reference, target, ['-9']), reference, true],
    [
      'xdelta3 -3 -S none',
      () => xdelta3Delta(scratch, reference, target, ['-3', '-S', 'none']),
      reference,
      true,
    ],
    [
      'xdelta3 -A= (no application header)',
      () => xdelta3Delta(scratch, reference, target, ['-A=']),
      reference,
      true,
    ],
    [
      'xdelta3 -S djw',
      () => xdelta3Delta(scratch, reference, target, ['-S', 'djw']),
      reference,
      false,
    ],
    [
      'xdelta3 -S fgk',
      () => xdelta3Delta(scratch, reference, target, ['-S', 'fgk']),
      reference,
      false,
    ],
    // As the Python tool's xdelta3 encodes a .gz release: of the decompressed files, which only
    // the program rebuilds (recompressing).
    [
      'xdelta3 -9 of gzip files',
      () => xdelta3Delta(scratch, gzipSync(reference), gzipSync(target), ['-9']),
      gzipSync(reference),
      false,
    ],
    ['not a delta', async () => randomBytes(4_000), reference, false],
  ])('%s: says from its header what decoding it whole says', async (_name, make, from, reads) => {
    const delta = await make();
    expect(readsDeltaHeader(delta)).toBe(reads);
    expect(decodes(from, delta)).toBe(reads);
  });

  it('is undecided until the header is whole, then decided for good', async () => {
    for (const delta of [
      await ourDelta(),
      await xdelta3Delta(scratch, reference, target, ['-9']),
    ]) {
      const answers = Array.from({ length: 64 }, (_, length) =>
        readsDeltaHeader(delta.subarray(0, length)),
      );
      const decided = answers.findIndex((answer) => answer !== undefined);
      expect(decided).toBeGreaterThanOrEqual(5);
      expect(answers.slice(decided).every((answer) => answer === true)).toBe(true);
    }
  });

  it('refuses at once what starts wrong, and an application header no delta has', () => {
    expect(readsDeltaHeader(Uint8Array.of(0x50, 0x4b))).toBe(false);
    // Magic, version 0, VCD_APPHEADER, then a length of 2^28: longer than any xdelta3 writes.
    expect(
      readsDeltaHeader(Uint8Array.of(0xd6, 0xc3, 0xc4, 0, 0x04, 0x81, 0x80, 0x80, 0x80, 0)),
    ).toBe(false);
  });
});
