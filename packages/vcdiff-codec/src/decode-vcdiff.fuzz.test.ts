import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from './codec-error.js';
import { decodeVcdiff } from './decode-vcdiff.js';
import { decodeWindows, type WindowRunner } from './decode-vcdiff-stream.js';
import { bytesSource, seekableBytesSource } from './test-support/bytes-source.js';

// Damaged deltas (bytes flipped, cut, inserted) either decode or fail with a CodecError: never
// another error, never a hang, never an allocation beyond a window's bound.

function realDelta(flags: string[]): { reference: Uint8Array; delta: Uint8Array } {
  const scratch = mkdtempSync(join(tmpdir(), 'dg-vcdiff-fuzz-'));
  try {
    const reference = Buffer.from(
      Array.from({ length: 2000 }, (_, line) => `row ${line} of a release file\n`).join(''),
    );
    const target = Buffer.concat([
      reference.subarray(0, 20_000),
      Buffer.from('a new section'),
      reference.subarray(25_000),
    ]);
    writeFileSync(join(scratch, 'r'), reference);
    writeFileSync(join(scratch, 't'), target);
    execFileSync('xdelta3', [
      '-e',
      '-f',
      ...flags,
      '-s',
      join(scratch, 'r'),
      join(scratch, 't'),
      join(scratch, 'd'),
    ]);
    return { reference, delta: new Uint8Array(readFileSync(join(scratch, 'd'))) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

type Mutation =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

function damage(delta: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let damaged = Uint8Array.from(delta);
  for (const change of mutations) {
    const at = change.at % Math.max(1, damaged.length);
    if (change.kind === 'flip') damaged[at] = change.value;
    else if (change.kind === 'cut') damaged = damaged.subarray(0, at);
    else
      damaged = Uint8Array.from([
        ...damaged.subarray(0, at),
        ...change.bytes,
        ...damaged.subarray(at),
      ]);
  }
  return damaged;
}

describe.each([
  ['plain VCDIFF', ['-S', 'none']],
  ['LZMA secondary compression (the default)', ['-9']],
])('decodeVcdiff on damaged deltas: %s', (_, flags) => {
  const { reference, delta } = realDelta(flags);
  const mutation = fc.oneof(
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ maxLength: 12 }),
    }),
  );

  /**
   * The streaming decode of `delta`, its bytes or its refusal's words. From a `local` file the
   * WebAssembly runner reads a window's whole segment instead of dry-running it first; from a
   * `seekable` one the TypeScript runner reads a window that changed little straight in.
   */
  async function streamed(
    damaged: Uint8Array,
    runner: WindowRunner,
    from: 'stream' | 'local' | 'seekable' = 'stream',
  ): Promise<string> {
    const parts: Uint8Array[] = [];
    try {
      for await (const part of decodeWindows(
        {
          ...(from === 'seekable' ? seekableBytesSource(reference) : bytesSource(reference)),
          localPath: from === 'stream' ? undefined : 'reference.bin',
        },
        (async function* () {
          yield damaged;
        })(),
        { runner },
      ))
        parts.push(part);
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      return `CodecError: ${error.message}`;
    }
    return Buffer.concat(parts).toString('base64');
  }

  it('runs windows in WebAssembly as in TypeScript, and read straight in as through blocks: the same bytes, the same refusal (from a local file, a refusal)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        const damaged = damage(delta, mutations);
        const expected = await streamed(damaged, 'typescript');
        expect(await streamed(damaged, 'webassembly')).toBe(expected);
        // Without the dry run, which reads every instruction and address before any data, a
        // window may fail on what comes first in it: refused all the same, in other words.
        const local = await streamed(damaged, 'webassembly', 'local');
        if (expected.startsWith('CodecError')) expect(local).toMatch(/^CodecError: /);
        else expect(local).toBe(expected);
        // Read straight in, in spans, a window is refused where it was: its dry run comes first.
        expect(await streamed(damaged, 'typescript', 'seekable')).toBe(expected);
      }),
      { numRuns: 300, seed: 20261205 },
    );
  });

  it('fails only with a CodecError, quickly', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const damaged = damage(delta, mutations);
        const started = performance.now();
        try {
          decodeVcdiff(reference, damaged);
        } catch (error) {
          expect(error instanceof CodecError, String(error)).toBe(true);
        }
        expect(performance.now() - started).toBeLessThan(2_000);
      }),
      { numRuns: 500, seed: 20261201 },
    );
  });

  it('refuses a window that declares more than any xdelta3 window, before allocating it', () => {
    const varint = (value: number) => {
      const digits = [value % 128];
      for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128))
        digits.unshift((rest % 128) | 0x80);
      return digits;
    };
    const windowBody = [...varint(2 ** 40), 0, 0, 0, 0];
    const forged = Uint8Array.from([
      0xd6,
      0xc3,
      0xc4,
      0,
      0, // magic, version, no header extras
      0,
      ...varint(windowBody.length),
      ...windowBody, // a window without a source
    ]);
    expect(() => decodeVcdiff(reference, forged)).toThrow(/a 1099511627776-byte window/);
  });
});
