import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodecError, isAbortError } from '@deltaglider/core';
import { bytesSource, readBody } from '@deltaglider/core/adapter-kit';
import { fileSource } from '@deltaglider/fs-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVcdiffCodec } from './vcdiff-delta-codec.js';

// The DeltaCodec as DeltaGlider drives it: sources as files or streams, the delta spooled to a
// temp file and streamed back in chunks of any size.

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-vcdiff-codec-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A delta's bytes in chunks of `size`, as a network stream might cut them. */
async function* rechunked(body: AsyncIterable<Uint8Array>, size: number) {
  const whole = await readBody(body);
  for (let at = 0; at < whole.length; at += size) yield whole.subarray(at, at + size);
}

function versions(size: number): [Buffer, Buffer] {
  const reference = randomBytes(size);
  const target = Buffer.concat([
    reference.subarray(0, size / 3),
    Buffer.from('a changed line\n'.repeat(40)),
    reference.subarray(size / 3 + 100),
  ]);
  return [reference, target];
}

describe('createVcdiffCodec', () => {
  it('round-trips through a spooled delta read back in chunks of any size', async () => {
    const temp = join(scratch, 'spool');
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp);
    const codec = createVcdiffCodec({ tempDirectory: temp, windowSize: 64 * 1024 });
    const [reference, target] = versions(300_000);
    await writeFile(join(scratch, 'reference'), reference);
    const fromFile = fileSource(join(scratch, 'reference'), reference.length);
    const delta = await codec.encode(fromFile, bytesSource(target));
    expect(delta.size).toBeLessThan(2_000);
    for (const chunk of [1, 7, 4096, 1 << 20]) {
      for (const source of [fromFile, bytesSource(reference)]) {
        const rebuilt = await readBody(codec.decode(source, rechunked(delta.read(), chunk)));
        expect(Buffer.from(rebuilt).equals(target)).toBe(true);
      }
    }
    await delta.dispose();
    expect(await readdir(temp)).toEqual([]);
  });

  it('rejects a truncated delta and the wrong reference with a CodecError', async () => {
    const codec = createVcdiffCodec();
    const [reference, target] = versions(100_000);
    const delta = await readBody(
      (await codec.encode(bytesSource(reference), bytesSource(target))).read(),
    );
    const cut = async function* () {
      yield delta.subarray(0, delta.length - 3);
    };
    await expect(readBody(codec.decode(bytesSource(reference), cut()))).rejects.toThrow(CodecError);
    const other = Buffer.from(reference).reverse();
    const whole = async function* () {
      yield delta;
    };
    await expect(readBody(codec.decode(bytesSource(other), whole()))).rejects.toThrow(
      /Adler-32|reference/,
    );
  });

  it('stops on abort and leaves no temp files', async () => {
    const temp = await mkdtemp(join(scratch, 'abort-'));
    const codec = createVcdiffCodec({ tempDirectory: temp, windowSize: 16 * 1024 });
    const [reference, target] = versions(2_000_000);
    const controller = new AbortController();
    controller.abort();
    const failure = await codec
      .encode(bytesSource(reference), bytesSource(target), { signal: controller.signal })
      .catch((error: unknown) => error);
    expect(isAbortError(failure)).toBe(true);
    expect(await readdir(temp)).toEqual([]);
  });
});
