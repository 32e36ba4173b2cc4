import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeVcdiff } from './decode-vcdiff.js';
import { encodeVcdiffStream, type VcdiffEncodeOptions } from './encode-vcdiff-stream.js';
import { bytesSource } from './test-support/bytes-source.js';
import { xdelta3Delta, xdelta3Rebuild } from './test-support/xdelta3-program.js';

// Compatibility never bends: every delta this encoder writes, at every level, must be rebuilt by
// the stock xdelta3 program exactly as the Python DeltaGlider runs it (`xdelta3 -d -f -s REF
// DELTA OUT`), and by our own decoder. Real release pairs from npm, then fuzzed inputs.

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-vcdiff-compat-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function encode(reference: Uint8Array, target: Uint8Array, options: VcdiffEncodeOptions) {
  const parts: Uint8Array[] = [];
  for await (const part of encodeVcdiffStream(bytesSource(reference), bytesSource(target), options))
    parts.push(part);
  return Buffer.concat(parts);
}

async function release(name: string): Promise<Buffer> {
  const packed = await readFile(
    new URL(`./__fixtures__/npm-releases/${name}.tgz`, import.meta.url),
  );
  return gunzipSync(packed);
}

const pairs = [
  ['lodash-4.18.0', 'lodash-4.18.1'],
  ['sharp-0.35.5', 'sharp-0.35.6'],
  ['aws-sdk-client-s3-3.1173.0', 'aws-sdk-client-s3-3.1175.0'],
] as const;

describe('deltas of npm releases', () => {
  it.each(pairs)(
    '%s -> %s: stock xdelta3 and our decoder rebuild it at levels 1, 6 and 9',
    async (older, newer) => {
      const reference = await release(older);
      const target = await release(newer);
      for (const level of [1, 6, 9]) {
        const delta = await encode(reference, target, { level });
        expect(delta.length).toBeLessThan(target.length / 50);
        expect((await xdelta3Rebuild(scratch, reference, delta)).equals(target)).toBe(true);
        expect(Buffer.from(decodeVcdiff(reference, delta)).equals(target)).toBe(true);
      }
    },
  );

  it('small windows: each section stream runs across many windows, and xdelta3 follows it', async () => {
    const reference = await release('lodash-4.18.0');
    const target = await release('lodash-4.18.1');
    // Against an empty reference the whole file goes through the data stream's LZMA.
    for (const [from, options] of [
      [reference, { windowSize: 64 * 1024, sourceWindowSize: 256 * 1024 }],
      [new Uint8Array(0), { windowSize: 256 * 1024, level: 9 }],
    ] as const) {
      const delta = await encode(from, target, options);
      expect((await xdelta3Rebuild(scratch, from, delta)).equals(target)).toBe(true);
      expect(Buffer.from(decodeVcdiff(from, delta)).equals(target)).toBe(true);
    }
  });
});

/** A reference and a new version made of its pieces, edits, repeats, runs and fresh bytes. */
const versionPairs = fc
  .record({
    seed: fc.uint8Array({ minLength: 0, maxLength: 40_000 }),
    text: fc.string({ maxLength: 2_000 }),
    edits: fc.array(
      fc.record({
        kind: fc.constantFrom('keep', 'insert', 'repeat', 'run', 'drop'),
        at: fc.nat(),
        length: fc.nat({ max: 5_000 }),
        byte: fc.nat({ max: 255 }),
      }),
      { maxLength: 30 },
    ),
  })
  .map(({ seed, text, edits }) => {
    const words = Buffer.from(text.repeat(3));
    const reference = Buffer.concat([seed, words, seed.subarray(0, seed.length >>> 1)]);
    const parts: Uint8Array[] = [];
    for (const edit of edits) {
      const from = reference.length === 0 ? 0 : edit.at % reference.length;
      const piece = reference.subarray(from, from + edit.length);
      if (edit.kind === 'keep') parts.push(piece);
      else if (edit.kind === 'insert')
        parts.push(
          Buffer.alloc(edit.length % 300, edit.byte ^ 0x5a).map((b, i) => (b + i * 7) & 0xff),
        );
      else if (edit.kind === 'repeat') parts.push(piece, piece);
      else if (edit.kind === 'run') parts.push(Buffer.alloc(edit.length, edit.byte));
    }
    return { reference, target: Buffer.concat(parts) };
  });

describe('LZMA2 chunk boundaries', () => {
  it('stored chunks (incompressible bytes, first and later), 64 KiB coded and 2 MiB plain limits', async () => {
    const text = await release('lodash-4.18.1');
    const noise = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 2654435761) >>> 24));
    const random = randomBytes(200_000);
    // From an empty reference every byte goes through the data stream: random bytes first (a
    // stored chunk that resets the dictionary), then text (an LZMA chunk that must send its
    // properties), a long repetitive stretch (2 MiB plain per chunk), random again, text again.
    const target = Buffer.concat([
      random,
      text.subarray(0, 500_000),
      Buffer.alloc(5_000_000, 'abc'),
      noise,
      random,
      text,
    ]);
    for (const windowSize of [8 * 1024 * 1024, 1024 * 1024]) {
      const delta = await encode(new Uint8Array(0), target, { windowSize, level: 3 });
      expect((await xdelta3Rebuild(scratch, new Uint8Array(0), delta)).equals(target)).toBe(true);
      expect(Buffer.from(decodeVcdiff(new Uint8Array(0), delta)).equals(target)).toBe(true);
    }
  }, 120_000);
});

describe('the LZMA dictionary', () => {
  it('keeps what it decoded when a section ends exactly at the end of its buffer', async () => {
    // The decoder's dictionary starts at 64 KiB and grows. A first data section of exactly
    // 64 KiB once wrapped it to the start while it could still grow, and growing later copied
    // nothing: the next window's matches 64 KiB back failed. Random bytes of 6 bits each keep
    // the sections in LZMA (they do not look random) without repeats the matcher would copy.
    const block = Buffer.from(randomBytes(65_536).map((byte) => 0x30 + (byte & 63)));
    const target = Buffer.concat([block, Buffer.from('ten bytes!'), block.subarray(0, 65_526)]);
    const deltas = [
      await encode(new Uint8Array(0), target, { windowSize: 65_536, level: 1 }),
      await encode(new Uint8Array(0), target, { windowSize: 65_536, level: 6 }),
      await xdelta3Delta(scratch, new Uint8Array(0), target, ['-9', '-W', '65536']),
    ];
    for (const delta of deltas) {
      expect((await xdelta3Rebuild(scratch, new Uint8Array(0), delta)).equals(target)).toBe(true);
      expect(Buffer.from(decodeVcdiff(new Uint8Array(0), delta)).equals(target)).toBe(true);
    }
  });
});

/**
 * A release of a few MB that follows its reference with edits, and sometimes jumps elsewhere in
 * it: big enough that the encoder's near index slides along it, starts anew after a jump, and
 * gives way to the whole window's index when new bytes or far pieces call for it; with a 1 MiB
 * source window, the window moves too.
 */
interface ReleaseRecipe {
  readonly seed: number;
  readonly size: number;
  readonly edits: readonly {
    readonly kind: 'insert' | 'drop' | 'change' | 'jump' | 'new';
    /** Bytes kept from the reference before the edit. */
    readonly gap: number;
    readonly length: number;
    /** Where a jump goes, and the new bytes' first value. */
    readonly to: number;
  }[];
}

const followingReleases: fc.Arbitrary<ReleaseRecipe> = fc.record({
  seed: fc.integer(),
  size: fc.integer({ min: 1_500_000, max: 3_000_000 }),
  edits: fc.array(
    fc.record({
      kind: fc.constantFrom('insert', 'drop', 'change', 'jump', 'new'),
      gap: fc.integer({ min: 1_000, max: 200_000 }),
      length: fc.integer({ min: 1, max: 600 }),
      to: fc.nat(),
    }),
    { minLength: 1, maxLength: 40 },
  ),
});

/**
 * The files a recipe describes, built inside the test so that a failure prints the recipe, not
 * megabytes of bytes. `fresh` counts the new bytes (a 'new' edit's 100 repeats as one).
 */
function followingRelease({ seed, size, edits }: ReleaseRecipe) {
  let state = seed | 1;
  const reference = Buffer.alloc(size).map(() => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state & 0xff;
  });
  const parts: Uint8Array[] = [];
  let at = 0;
  let fresh = 0;
  for (const edit of edits) {
    parts.push(reference.subarray(at, at + edit.gap));
    if (edit.kind !== 'drop' && edit.kind !== 'jump') fresh += edit.length;
    at = Math.min(reference.length, at + edit.gap);
    const bytes = Buffer.alloc(edit.length, edit.to & 0xff).map((b, i) => (b + i * 31) & 0xff);
    if (edit.kind === 'insert') parts.push(bytes);
    else if (edit.kind === 'drop') at = Math.min(reference.length, at + edit.length);
    else if (edit.kind === 'change') {
      parts.push(bytes);
      at = Math.min(reference.length, at + edit.length);
    } else if (edit.kind === 'jump') at = edit.to % reference.length;
    else parts.push(Buffer.concat(Array.from({ length: 100 }, () => bytes)));
  }
  parts.push(reference.subarray(at));
  return { reference, target: Buffer.concat(parts), fresh, edits: edits.length };
}

describe('references that look compressed', () => {
  // xdelta3 -d sniffs its source's first bytes and, finding gzip's, compress's, bzip2's or xz's
  // magic, decompresses it first, unless the delta's application header names the source's
  // compression: a release archive (.tar.gz, .tgz) is exactly such a reference.
  it.each([
    ['gzip', gzipSync(randomBytes(200_000), { level: 9 })],
    ['compress', Buffer.concat([Buffer.from([0x1f, 0x9d, 0x90]), randomBytes(200_000)])],
    ['bzip2', Buffer.concat([Buffer.from('BZh9'), randomBytes(200_000)])],
    [
      'xz',
      Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), randomBytes(200_000)]),
    ],
  ])(
    'a %s reference: xdelta3 -d, as the Python tool runs it, rebuilds the file from our delta',
    async (_, reference) => {
      const target = Buffer.concat([
        reference.subarray(0, 150_000),
        randomBytes(500),
        reference.subarray(150_000),
      ]);
      for (const level of [1, 9]) {
        const delta = await encode(reference, target, { level });
        expect(
          (await xdelta3Rebuild(scratch, reference, delta)).equals(target),
          `level ${level}`,
        ).toBe(true);
        expect(Buffer.from(decodeVcdiff(reference, delta)).equals(target)).toBe(true);
      }
    },
  );
});

describe('deltas of decompressed files', () => {
  it('refuses a delta xdelta3 made of gzip-decompressed files with words that name the program', async () => {
    // xdelta3 without -D (the Python tool's encode) decompresses a .tar.gz first; applied to the
    // compressed reference such a delta would fail as a wrong reference.
    const gzip = (bytes: Uint8Array) => execFileSync('gzip', ['-c', '-n'], { input: bytes });
    const plain = randomBytes(100_000);
    const reference = gzip(plain);
    const target = gzip(Buffer.concat([plain, Buffer.from('an edit')]));
    const delta = await xdelta3Delta(scratch, reference, target, ['-9']);
    expect(() => decodeVcdiff(reference, delta)).toThrow(
      /gzip-decompressed files, which only the xdelta3 program rebuilds/,
    );
  });
});

describe('fuzzed inputs', () => {
  it('a case the fuzzing found: a repeat deep in new bytes at levels 1-2', async () => {
    // Deep in new bytes the matcher searches every third position and passes the others to
    // the sparse repeats, which remember every 16th. A pass remembered its position under the
    // next position's hash: here 100 repeats of 321 bytes went out as 32 KB of new bytes.
    const recipe: ReleaseRecipe = {
      seed: -2049971692,
      size: 1543409,
      edits: [
        { kind: 'new', gap: 101162, length: 321, to: 1409139086 },
        { kind: 'jump', gap: 52417, length: 166, to: 787301465 },
        { kind: 'insert', gap: 65103, length: 221, to: 1801620019 },
      ],
    };
    const { reference, target } = followingRelease(recipe);
    for (const level of [1, 2]) {
      const delta = await encode(reference, target, { level, windowSize: 256 * 1024 });
      expect(Buffer.from(decodeVcdiff(reference, delta)).equals(target)).toBe(true);
      expect(delta.length, `level ${level}`).toBeLessThan(2_000);
    }
  });

  it('releases that follow their reference, edited and jumping: every level writes deltas both decoders rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(followingReleases, fc.integer({ min: 1, max: 9 }), async (recipe, level) => {
        const { reference, target, fresh, edits } = followingRelease(recipe);
        const windowSize = 256 * 1024;
        const delta = await encode(reference, target, {
          level,
          windowSize,
          sourceWindowSize: 1024 * 1024,
        });
        expect((await xdelta3Rebuild(scratch, reference, delta)).equals(target)).toBe(true);
        expect(Buffer.from(decodeVcdiff(reference, delta)).equals(target)).toBe(true);
        // Copied, not stored: at most the new bytes, and for each edit what the near index
        // may leave new before the whole one takes over (256 bytes) and its instructions.
        const windows = Math.ceil(target.length / windowSize);
        expect(delta.length).toBeLessThan(fresh + 400 * edits + 100 * windows + 200);
      }),
      // No shrinking: each step is an encode of megabytes, and the recipe printed is short.
      { numRuns: 20, endOnFailure: true },
    );
  }, 300_000); // twenty encodes of a few MB and two decodes each: seconds, minutes when busy

  it('every level and window size writes deltas stock xdelta3 and our decoder rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(
        versionPairs,
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom(1024, 4096, 65_536, 8 * 1024 * 1024),
        fc.boolean(),
        async ({ reference, target }, level, windowSize, secondary) => {
          const delta = await encode(reference, target, {
            level,
            windowSize,
            sourceWindowSize: Math.max(windowSize, 16 * 1024),
            secondary,
          });
          expect((await xdelta3Rebuild(scratch, reference, delta)).equals(target)).toBe(true);
          expect(Buffer.from(decodeVcdiff(reference, delta)).equals(target)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  }, 300_000); // a hundred encodes and two decodes each: minutes on a busy 2-core machine
});
