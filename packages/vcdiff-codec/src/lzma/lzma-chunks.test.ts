import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { CodecError } from '../codec-error.js';
import { concatBytes } from '../concat-bytes.js';
import { wasmLzmaChunks } from './wasm-lzma-chunks.js';
import {
  type LzmaChunksFor,
  scriptLzmaChunks as script,
  XzSectionStream,
} from './xz-section-stream.js';
import { XzSectionWriter } from './xz-section-writer.js';

// The WebAssembly decoder must answer exactly as the TypeScript one, which the codec falls back
// to where WebAssembly cannot run: the same bytes from every stream, the same refusal of every
// damaged one.

const wasm: LzmaChunksFor = (size) => {
  const chunks = wasmLzmaChunks(size);
  if (!chunks) throw new Error('WebAssembly did not run here');
  return chunks;
};

/** A real release archive: sharp's npm tarball, gunzipped (1 MB of JavaScript and docs). */
const release = new Uint8Array(
  gunzipSync(
    readFileSync(new URL('../__fixtures__/npm-releases/sharp-0.35.6.tgz', import.meta.url)),
  ),
);

/** `bytes` compressed by xz itself (liblzma) as a one-block .xz stream with these LZMA2 options. */
function xz(bytes: Uint8Array, lzma2: string): Uint8Array {
  return new Uint8Array(
    execFileSync('xz', ['--format=xz', '--check=crc32', `--lzma2=${lzma2}`, '-c'], {
      input: bytes,
      maxBuffer: 64 << 20,
    }),
  );
}

/** Decodes `sections` (compressed, with their decoded sizes) in one stream, or its refusal. */
function decodeAll(
  chunksFor: LzmaChunksFor,
  sections: readonly { compressed: Uint8Array; size: number }[],
): Uint8Array | string {
  const stream = new XzSectionStream(chunksFor);
  try {
    return concatBytes(sections.map(({ compressed, size }) => stream.section(compressed, size)));
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    return `CodecError: ${error.message}`;
  }
}

/** Outcomes compared as bytes (deep equality walks a megabyte element by element). */
function same(one: Uint8Array | string, other: Uint8Array | string): boolean {
  if (typeof one === 'string' || typeof other === 'string') return one === other;
  return Buffer.from(one).equals(Buffer.from(other));
}

describe('the WebAssembly LZMA decoder', () => {
  it('is what assembly/lzma-chunks.ts builds to (the committed module is not stale)', () => {
    const script = new URL('../../scripts/build-wasm.mjs', import.meta.url).pathname;
    expect(() => execFileSync('node', [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);

  it.each([
    ['xz -6 (lc=3 lp=0 pb=2)', 'preset=6'],
    ['xz -0', 'preset=0'],
    ['xz -9e', 'preset=9e'],
    ['lc=0 lp=4 pb=0', 'preset=6,lc=0,lp=4,pb=0'],
    ['lc=4 lp=0 pb=4', 'preset=6,lc=4,lp=0,pb=4'],
    ['lc=1 lp=2 pb=1', 'preset=6,lc=1,lp=2,pb=1'],
    ['a 64 KiB dictionary that wraps many times', 'preset=6,dict=64KiB'],
    ['a 4 KiB dictionary', 'preset=6,dict=4KiB'],
  ])('decodes what xz writes byte for byte: %s', (_, lzma2) => {
    const sections = [{ compressed: xz(release, lzma2), size: release.length }];
    const decoded = decodeAll(wasm, sections);
    expect(same(decoded, release), String(decoded).slice(0, 200)).toBe(true);
    expect(same(decodeAll(script, sections), decoded)).toBe(true);
  });

  it('carries its state and dictionary across sections, as xdelta3 feeds them', () => {
    for (const dictionarySize of [1 << 16, 1 << 23]) {
      const writer = new XzSectionWriter({ dictionarySize, depth: 16, niceLength: 64, lazy: true });
      const sections = [];
      for (let at = 0; at < release.length; at += 77_777) {
        const plain = release.subarray(at, at + 77_777);
        sections.push({ compressed: writer.section(plain), size: plain.length });
      }
      const decoded = decodeAll(wasm, sections);
      expect(same(decoded, release), String(decoded).slice(0, 200)).toBe(true);
      expect(same(decodeAll(script, sections), decoded)).toBe(true);
    }
  });

  it('decodes a section a chunk at a time when paced, to the same bytes, pausing before each', async () => {
    // Sharp's megabyte in two sections, in one stream whose state the second carries on.
    const writer = new XzSectionWriter({
      dictionarySize: 1 << 23,
      depth: 16,
      niceLength: 64,
      lazy: true,
    });
    const sections = [release.subarray(0, 600_000), release.subarray(600_000)].map((plain) => ({
      compressed: writer.section(plain),
      size: plain.length,
    }));
    const paced = new XzSectionStream(wasm);
    let pauses = 0;
    const pause = async () => {
      pauses++;
    };
    const decoded = [];
    for (const { compressed, size } of sections)
      decoded.push(await paced.sectionPaced(compressed, size, pause));
    expect(same(concatBytes(decoded), release)).toBe(true);
    // One pause before each header and chunk: a pause at least every 64 KiB of compressed input.
    const compressedBytes = sections.reduce((sum, { compressed }) => sum + compressed.length, 0);
    expect(pauses).toBeGreaterThanOrEqual(Math.ceil(compressedBytes / 65_536) + 2);
  });

  it('refuses damaged streams exactly as the TypeScript decoder does', () => {
    const plain = release.subarray(300_000, 340_000);
    const compressed = xz(plain, 'preset=6,dict=16KiB');
    const mutation = fc.record({
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
      cut: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        let damaged = Uint8Array.from(compressed);
        for (const { at, value, cut } of mutations) {
          // Past the stream and block headers, where the chunks are: headers have CRCs.
          const where = 24 + (at % (damaged.length - 24));
          if (cut) damaged = damaged.subarray(0, where);
          else damaged[where] = value;
        }
        const sections = [{ compressed: damaged, size: plain.length }];
        const [fast, reference] = [decodeAll(wasm, sections), decodeAll(script, sections)];
        expect(
          same(fast, reference),
          `${String(fast).slice(0, 99)} / ${String(reference).slice(0, 99)}`,
        ).toBe(true);
      }),
      { numRuns: 400, seed: 20261205 },
    );
  });

  it('leaves decoding to TypeScript where WebAssembly cannot run', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      const fresh = await import('./wasm-lzma-chunks.js');
      expect(fresh.wasmLzmaChunks(1 << 20)).toBeUndefined();
      const { XzSectionStream: Stream } = await import('./xz-section-stream.js');
      const compressed = xz(release, 'preset=1');
      const decoded = new Stream().section(compressed, release.length);
      expect(Buffer.from(decoded).equals(Buffer.from(release))).toBe(true);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});
