import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ByteSource } from './byte-source.js';
import { CodecError } from './codec-error.js';
import { decodeWindows } from './decode-vcdiff-stream.js';
import { encodeVcdiffStream } from './encode-vcdiff-stream.js';
import { bytesSource, seekableBytesSource } from './test-support/bytes-source.js';
import { runtimeWebAssembly } from './test-support/runtime-webassembly.js';
import { VCDIFF_HEADER, varint, vcdiffWindow } from './test-support/vcdiff-bytes.js';
import { xdelta3Delta } from './test-support/xdelta3-program.js';

// The streaming decoder reads its reference in two ways: long copies straight into the window
// when the reference can seek (a local file), everything else through 1 MiB blocks. It runs a
// window in WebAssembly where it can and in TypeScript where it cannot: each test runs both.

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-vcdiff-stream-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const MIB = 1024 * 1024;

/**
 * A source that can seek, like a local file, recording the reads it answers (where they start,
 * how long, whether they are a block's) and how many run at once. With `localPath` it says it
 * is a local file.
 */
function seekableSource(bytes: Uint8Array, localPath?: string) {
  const reads: { start: number; size: number; block: boolean }[] = [];
  const inFlight = { now: 0, most: 0 };
  const source: ByteSource = {
    ...bytesSource(bytes),
    localPath,
    async readInto(into, at, range) {
      const size = range.end - range.start;
      const block = range.start % MIB === 0 && size === Math.min(MIB, bytes.length - range.start);
      reads.push({ start: range.start, size, block });
      inFlight.most = Math.max(inFlight.most, ++inFlight.now);
      await new Promise((resolve) => setImmediate(resolve));
      into.set(bytes.subarray(range.start, range.end), at);
      inFlight.now--;
    },
  };
  return { source, reads, inFlight };
}

/**
 * Long stretches of the reference, moved and interleaved with edits: long copies from all over
 * it, short ones from its first MiB only (so some long copies lie in blocks no short one reads).
 */
function versions(): [Buffer, Buffer] {
  const reference = randomBytes(3_000_000);
  const parts: Buffer[] = [];
  for (let at = 0; at < reference.length; at += 300_000) {
    parts.push(reference.subarray(at + 200_000, at + 300_000), Buffer.from(`edit ${at}`));
    const near = at % 1_000_000;
    for (let short = 0; short < 40; short++)
      parts.push(
        reference.subarray(near + short * 1000, near + short * 1000 + 600),
        randomBytes(20),
      );
    parts.push(reference.subarray(at + 50_000, at + 180_000));
  }
  return [reference, Buffer.concat(parts)];
}

async function collect(parts: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const part of parts) chunks.push(part);
  return Buffer.concat(chunks);
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/**
 * The chunks taken as a file writer takes them with `reuseChunks`: it writes a chunk while it
 * asks for the next (here: copies it once the next is in hand), and is done with it before it
 * asks for the one after. With the memory each chunk was handed over in, in order.
 */
async function takenInTurns(
  parts: AsyncIterable<Uint8Array>,
): Promise<{ copies: Buffer[]; memories: ArrayBufferLike[] }> {
  const copies: Buffer[] = [];
  const memories: ArrayBufferLike[] = [];
  const chunks = parts[Symbol.asyncIterator]();
  let held: Uint8Array | undefined;
  for (let next = await chunks.next(); ; next = await chunks.next()) {
    if (held) copies.push(Buffer.from(held));
    if (next.done) return { copies, memories };
    held = next.value;
    memories.push(held.buffer);
  }
}

async function deltas(reference: Buffer, target: Buffer): Promise<[string, Uint8Array][]> {
  const paths = ['reference', 'target', 'delta'].map((name) => join(scratch, name));
  await writeFile(paths[0]!, reference);
  await writeFile(paths[1]!, target);
  const xdelta3 = async (flags: string[]) => {
    execFileSync('xdelta3', ['-e', '-f', ...flags, '-s', paths[0]!, paths[1]!, paths[2]!]);
    return new Uint8Array(await readFile(paths[2]!));
  };
  const small = { windowSize: 256 * 1024, sourceWindowSize: 1024 * 1024 };
  return [
    ['xdelta3 -9', await xdelta3(['-9'])],
    ['xdelta3 -9 -S none, small windows', await xdelta3(['-9', '-S', 'none', '-W', '262144'])],
    ['ours', await collect(encodeVcdiffStream(bytesSource(reference), bytesSource(target)))],
    [
      'ours, small windows',
      await collect(encodeVcdiffStream(bytesSource(reference), bytesSource(target), small)),
    ],
  ];
}

describe.each([
  ['in WebAssembly', 'webassembly'],
  ['in TypeScript', 'typescript'],
] as const)('decodeVcdiffStream, windows run %s', (_, runner) => {
  const decodeVcdiffStream = (reference: ByteSource, delta: AsyncIterable<Uint8Array>) =>
    decodeWindows(reference, delta, { runner });

  it('rebuilds the file from a reference that seeks and from one that only streams', async () => {
    const [reference, target] = versions();
    let straightReads = 0;
    for (const [name, delta] of await deltas(reference, target)) {
      const seekable = seekableSource(reference);
      const fromSeekable = await collect(decodeVcdiffStream(seekable.source, once(delta)));
      expect(fromSeekable.equals(target), `${name}, seekable`).toBe(true);
      const fromStream = await collect(decodeVcdiffStream(bytesSource(reference), once(delta)));
      expect(fromStream.equals(target), `${name}, streamed`).toBe(true);
      // Long copies went straight into the window's buffer; short ones through 1 MiB blocks.
      const direct = seekable.reads.filter((read) => !read.block);
      straightReads += direct.length;
      expect(Math.min(...direct.map((read) => read.size)), name).toBeGreaterThanOrEqual(64 * 1024);
      expect(seekable.reads.length, name).toBeGreaterThan(direct.length);
      // Each read of a local file opens it: a window's hundreds of reads go a few at a time.
      expect(seekable.inFlight.most, name).toBeLessThanOrEqual(2 * 8);
    }
    // (Not with every delta: a small window's long copies may all lie in blocks its short ones
    // read, and the TypeScript runner copies them from there.)
    expect(straightReads).toBeGreaterThan(0);
  }, 60_000);

  it('holds at most 64 MiB of reference blocks, even for a window that copies from 80 MiB', async () => {
    // xdelta3 with a 128 MiB source window (-B): one window of 4 KiB pieces, one from each MiB
    // of the reference in a shuffled order. Short copies read through 1 MiB blocks would need 80.
    const reference = randomBytes(80 * 1024 * 1024);
    const order = Array.from({ length: 80 }, (_, index) => (index * 37) % 80);
    const target = Buffer.concat(
      order.map((mib) => reference.subarray(mib * 1048576 + 1000, mib * 1048576 + 5096)),
    );
    const paths = ['reference', 'target', 'delta'].map((name) => join(scratch, name));
    await writeFile(paths[0]!, reference);
    await writeFile(paths[1]!, target);
    execFileSync('xdelta3', ['-e', '-f', '-9', '-B', '134217728', '-s', ...paths]);
    const delta = await readFile(paths[2]!);
    const seekable = seekableSource(reference);
    expect((await collect(decodeVcdiffStream(seekable.source, once(delta)))).equals(target)).toBe(
      true,
    );
    const blockReads = seekable.reads.filter((read) => read.block);
    expect(blockReads.length).toBeLessThanOrEqual(64);
    // A reference that can only stream cannot serve such a window: a clear error, no guess.
    await expect(collect(decodeVcdiffStream(bytesSource(reference), once(delta)))).rejects.toThrow(
      CodecError,
    );
  }, 60_000);

  it('reads far copies straight in and keeps short ones in blocks when the blocks would be too many', async () => {
    // A window with copies from 80 places in an 80 MiB reference (400 bytes each), and 2,000
    // short ones from its first MiB: reading every copy straight in would be 2,080 reads.
    const reference = randomBytes(80 * 1024 * 1024);
    const parts: Buffer[] = [];
    let seed = 7;
    for (let index = 0; index < 80; index++) {
      const mib = (index * 37) % 80;
      parts.push(reference.subarray(mib * 1048576 + 1000, mib * 1048576 + 1400));
      for (let short = 0; short < 25; short++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const at = seed % (1048576 - 100);
        parts.push(reference.subarray(at, at + 100));
      }
    }
    const target = Buffer.concat(parts);
    const paths = ['reference', 'target', 'delta'].map((name) => join(scratch, name));
    await writeFile(paths[0]!, reference);
    await writeFile(paths[1]!, target);
    execFileSync('xdelta3', ['-e', '-f', '-9', '-B', '134217728', '-s', ...paths]);
    const seekable = seekableSource(reference);
    const rebuilt = await collect(
      decodeVcdiffStream(seekable.source, once(await readFile(paths[2]!))),
    );
    expect(rebuilt.equals(target)).toBe(true);
    expect(seekable.reads.filter((read) => read.block).length).toBeLessThan(8);
    expect(seekable.reads.length).toBeLessThan(200);
  }, 60_000);

  it('reads the segment part of a copy that runs on into the window straight in', async () => {
    // By hand (RFC 3284): one window whose only COPY starts at the segment's first byte and runs
    // 100 bytes past its end, into what it has just written.
    const reference = randomBytes(3 * 1024 * 1024);
    const varint = (value: number) => {
      const digits = [value & 0x7f];
      for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128))
        digits.unshift((rest & 0x7f) | 0x80);
      return digits;
    };
    const size = reference.length + 100;
    const instructions = [19, ...varint(size)]; // COPY, size follows, address mode VCD_SELF
    const body = [...varint(size), 0, 0, ...varint(instructions.length), 1, ...instructions, 0];
    const delta = Uint8Array.from([
      ...[0xd6, 0xc3, 0xc4, 0x00, 0x00],
      ...[0x01, ...varint(reference.length), 0], // VCD_SOURCE: the whole reference
      ...varint(body.length),
      ...body,
    ]);
    const target = Buffer.concat([reference, reference.subarray(0, 100)]);
    const seekable = seekableSource(reference);
    expect((await collect(decodeVcdiffStream(seekable.source, once(delta)))).equals(target)).toBe(
      true,
    );
    expect(seekable.reads).toEqual([{ start: 0, size: reference.length, block: false }]);
  });

  it('reads the many long copies of a window a few at a time', async () => {
    // 16 MiB windows of 64 KiB copies in reverse order: 256 straight reads per window.
    const reference = randomBytes(16 * 1024 * 1024);
    const pieces: Buffer[] = [];
    for (let at = reference.length - 65_536; at >= 0; at -= 65_536)
      pieces.push(reference.subarray(at, at + 65_536));
    const target = Buffer.concat(pieces);
    const delta = await collect(
      encodeVcdiffStream(bytesSource(reference), bytesSource(target), {
        windowSize: 16 * 1024 * 1024,
      }),
    );
    const seekable = seekableSource(reference);
    const rebuilt = await collect(decodeVcdiffStream(seekable.source, once(delta)));
    expect(rebuilt.equals(target)).toBe(true);
    // (A piece may lose a byte or two to its neighbour's copy when random bytes happen to agree.)
    expect(seekable.reads.length).toBeGreaterThan(200);
    expect(seekable.inFlight.most).toBeLessThanOrEqual(2 * 8);
  }, 60_000);

  it('hands over windows in two buffers by turns for a caller that lets go of each by the one after next', async () => {
    const [reference, target] = versions();
    const delta = await collect(
      encodeVcdiffStream(bytesSource(reference), bytesSource(target), { windowSize: 256 * 1024 }),
    );
    const { copies, memories } = await takenInTurns(
      decodeWindows(seekableSource(reference).source, once(delta), { runner, reuseChunks: true }),
    );
    expect(Buffer.concat(copies).equals(target)).toBe(true);
    expect(copies.length).toBeGreaterThan(8);
    // The windows take turns in two buffers; the WebAssembly runner hands the last one over out
    // of its own memory, which nothing runs in after it.
    const lastInRunner = runner === 'webassembly' ? 1 : 0;
    expect(new Set(memories.slice(0, memories.length - lastInRunner)).size).toBe(2);
    expect(new Set(memories).size).toBe(2 + lastInRunner);
    // By default each chunk is memory of its own, which a caller may keep.
    const kept = [];
    for await (const chunk of decodeWindows(seekableSource(reference).source, once(delta), {
      runner,
    }))
      kept.push(chunk);
    expect(new Set(kept.map((chunk) => chunk.buffer)).size).toBe(kept.length);
    expect(Buffer.concat(kept).equals(target)).toBe(true);
  }, 60_000);

  it('refuses a reference one byte off: the window fails its Adler-32 check', async () => {
    // Every delta here checks its windows (both encoders write an Adler-32), of 256 KiB and
    // more: summed in WebAssembly; a window of under 64 KiB is summed in TypeScript.
    const [reference, target] = versions();
    const small = randomBytes(40_000);
    const tiny: [Buffer, Buffer] = [
      small,
      Buffer.concat([small.subarray(0, 20_000), Buffer.from('edit'), small.subarray(20_000)]),
    ];
    const cases = [
      ...(await deltas(reference, target)).map(([name, delta]) => ({ name, reference, delta })),
      ...(await deltas(...tiny)).map(([name, delta]) => ({
        name: `${name}, 40 KB`,
        reference: tiny[0],
        delta,
      })),
    ];
    for (const { name, reference: original, delta } of cases) {
      const wrong = Buffer.from(original);
      // A byte the first window copies: it starts with a stretch of the reference.
      const copied = original === reference ? 200_000 : 20;
      wrong[copied]! ^= 0x40;
      await expect(
        collect(decodeVcdiffStream(seekableSource(wrong).source, once(delta))),
        name,
      ).rejects.toThrow(/fails its Adler-32 check/);
    }
  }, 60_000);

  it('fails with a CodecError when the reference cannot be read, and the next decode works', async () => {
    const [reference, target] = versions();
    // From a local file the WebAssembly runner reads whole segments: that way fails alike.
    const cases = (await deltas(reference, target)).flatMap(([name, delta]) =>
      [undefined, 'reference.bin'].map((localPath) => ({ name, delta, localPath })),
    );
    for (const { name, delta, localPath } of cases) {
      const seekable = seekableSource(reference, localPath);
      let reads = 0;
      const failing: ByteSource = {
        ...seekable.source,
        async readInto(into, at, range, signal) {
          if (++reads === 3) throw new Error('EIO: the disk went away');
          return seekable.source.readInto!(into, at, range, signal);
        },
      };
      await expect(collect(decodeVcdiffStream(failing, once(delta))), name).rejects.toThrow(
        /could not be read: EIO/,
      );
      const rebuilt = await collect(decodeVcdiffStream(seekable.source, once(delta)));
      expect(rebuilt.equals(target), name).toBe(true);
    }
  }, 60_000);
});

describe('decodeVcdiffStream, the first decode of a process', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  // The modules are compiled in the background from the decode's start. Compiling one again on
  // the main thread while that compile is under way waited for it (0.1-1 ms of a 1 MB decode).
  // The references answer at once, as a file in the page cache nearly does: no turn of the
  // event loop in which the compile could end first.
  it.each([
    [
      'plain',
      'fastest',
      'in TypeScript, summed in WebAssembly',
      ['-S', 'none'],
      seekableBytesSource,
    ],
    ['LZMA', 'webassembly', 'in WebAssembly', [], bytesSource],
  ] as const)(
    'waits for the modules compiled in the background (%s sections, runner %s: the window runs %s)',
    async (_, runner, _where, flags, sourceOf) => {
      // A release with two edits: one window of a few long copies, which the fastest runner
      // reads straight in and runs in TypeScript.
      const reference = randomBytes(3_000_000);
      const target = Buffer.concat([
        reference.subarray(0, 1_000_000),
        Buffer.from('an edit'),
        reference.subarray(1_000_000, 2_000_000),
        Buffer.from('another'),
        reference.subarray(2_000_100),
      ]);
      const delta = await xdelta3Delta(join(scratch, 'first-decode'), reference, target, [
        '-9',
        ...flags,
      ]);
      vi.resetModules();
      const { decodeWindows: firstDecode } = await import('./decode-vcdiff-stream.js');
      const { WasmWindows } = await import('./wasm-windows.js');
      const runInWebAssembly = vi.spyOn(WasmWindows, 'create');
      const compileHere = vi.spyOn(runtimeWebAssembly, 'Module');
      const decoded = await collect(firstDecode(sourceOf(reference), once(delta), { runner }));
      expect(decoded.equals(target)).toBe(true);
      expect(runInWebAssembly).toHaveBeenCalledTimes(runner === 'webassembly' ? 1 : 0);
      expect(compileHere).not.toHaveBeenCalled();
    },
  );
});

describe('decodeVcdiffStream, windows run in TypeScript', () => {
  it('reads a release that changed little from a local file straight into the window, a read per run of copies, no block', async () => {
    // As lodash's tar: long stretches of the reference with a few bytes inserted, changed or
    // dropped between them, and short copies from far away. Read through blocks, its 3 MiB took
    // 3 MiB of fresh memory and a second copy of every byte into the window.
    const reference = randomBytes(3 * MIB);
    const changed = Buffer.from(reference.subarray(1_200_000, 1_900_000));
    for (let at = 1000; at < changed.length; at += 150_000) changed[at] = changed[at]! ^ 0xff;
    const target = Buffer.concat([
      reference.subarray(0, 700_000),
      Buffer.from('inserted'),
      reference.subarray(700_000, 1_150_000),
      reference.subarray(2_900_000, 2_900_040), // from far away
      changed,
      reference.subarray(2_000_000, 3 * MIB), // 100 KB dropped before it
    ]);
    for (const [name, delta] of await deltas(reference, target)) {
      const seekable = seekableSource(reference, 'reference.bin');
      const rebuilt = await collect(
        decodeWindows(seekable.source, once(delta), { runner: 'typescript' }),
      );
      expect(rebuilt.equals(target), name).toBe(true);
      expect(
        seekable.reads.filter((read) => read.block),
        name,
      ).toEqual([]);
      expect(seekable.reads.length, name).toBeLessThanOrEqual(32);
    }
  }, 60_000);

  it('reads blocks from a local file for a window whose short copies come from all over its reference', async () => {
    // As sharp's tar: hundreds of short copies, each from somewhere else. A read each would be
    // hundreds of reads; one block holds them all. (Six hundred copies in 340 KB are more than
    // its dry run lists one by one: it lists only what it reads straight.)
    const reference = randomBytes(MIB);
    const parts: Buffer[] = [];
    let seed = 11;
    for (let copy = 0; copy < 600; copy++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const at = seed % (MIB - 1000);
      parts.push(reference.subarray(at, at + 200 + (seed % 800)), randomBytes(8));
    }
    const target = Buffer.concat(parts);
    const delta = await collect(encodeVcdiffStream(bytesSource(reference), bytesSource(target)));
    const seekable = seekableSource(reference, 'reference.bin');
    const rebuilt = await collect(
      decodeWindows(seekable.source, once(delta), { runner: 'typescript' }),
    );
    expect(rebuilt.equals(target)).toBe(true);
    expect(seekable.reads).toEqual([{ start: 0, size: MIB, block: true }]);
  });

  it('copies a long copy from a block its window reads anyway, instead of reading it again', async () => {
    // Short copies from the first MiB of a 3 MiB reference, and two long ones: one from that
    // MiB, one from the last. Read straight in, the first would read its bytes a second time
    // (lodash's tar: 4.5 MB of reads for a 2.2 MB reference).
    const reference = randomBytes(3 * MIB);
    const parts: Buffer[] = [reference.subarray(100_000, 400_000)];
    for (let short = 0; short < 40; short++)
      parts.push(
        reference.subarray(500_000 + short * 5000, 500_600 + short * 5000),
        randomBytes(20),
      );
    parts.push(reference.subarray(2 * MIB + 100_000, 2 * MIB + 400_000));
    const target = Buffer.concat(parts);
    const delta = await collect(encodeVcdiffStream(bytesSource(reference), bytesSource(target)));
    const seekable = seekableSource(reference);
    const rebuilt = await collect(
      decodeWindows(seekable.source, once(delta), { runner: 'typescript' }),
    );
    expect(rebuilt.equals(target)).toBe(true);
    const blockReads = seekable.reads.filter((read) => read.block);
    const straight = seekable.reads.filter((read) => !read.block);
    expect(blockReads.map((read) => read.start)).toEqual([0]);
    // The long copy from the last MiB still goes straight in; none is read from the first.
    expect(straight.length).toBeGreaterThan(0);
    for (const read of straight) expect(read.start).toBeGreaterThanOrEqual(MIB);
  });
});

describe('decodeVcdiffStream, windows run in WebAssembly', () => {
  it('reads nothing for a window whose segment the slots hold already, long copies included', async () => {
    // The first 256 KiB window copies short pieces from all over a 2 MiB reference (both of
    // its blocks); the next ones copy one long stretch, which would otherwise be read straight
    // into the window again.
    const reference = randomBytes(2 * MIB);
    const pieces: Buffer[] = [];
    for (let piece = 0; piece < 200; piece++)
      pieces.push(reference.subarray(piece * 10_000, piece * 10_000 + 1000), randomBytes(20));
    pieces.push(reference.subarray(500_000, 800_000));
    const target = Buffer.concat(pieces);
    const delta = await xdelta3Delta(join(scratch, 'resident'), reference, target, [
      '-9',
      '-W',
      '262144',
    ]);

    const seekable = seekableSource(reference);
    const rebuilt = await collect(
      decodeWindows(seekable.source, once(delta), { runner: 'webassembly' }),
    );
    expect(rebuilt.equals(target)).toBe(true);
    expect(seekable.reads).toEqual([
      { start: 0, size: MIB, block: true },
      { start: MIB, size: MIB, block: true },
    ]);
  }, 60_000);

  it('reads the whole segment of a local file in blocks, with no dry run and no straight read', async () => {
    const [reference, target] = versions();
    const delta = await xdelta3Delta(join(scratch, 'local'), reference, target, ['-9']);
    // Elsewhere its long copies are read straight into the window, as the dry run lists them.
    const elsewhere = seekableSource(reference);
    await collect(decodeWindows(elsewhere.source, once(delta), { runner: 'webassembly' }));
    expect(elsewhere.reads.some((read) => !read.block)).toBe(true);

    const local = seekableSource(reference, 'reference.bin');
    const rebuilt = await collect(
      decodeWindows(local.source, once(delta), { runner: 'webassembly' }),
    );
    expect(rebuilt.equals(target)).toBe(true);
    expect(local.reads).toEqual(
      [0, 1, 2].map((block) => ({
        start: block * MIB,
        size: Math.min(MIB, reference.length - block * MIB),
        block: true,
      })),
    );
  }, 60_000);

  it.each([
    // 65 MiB: one block more than the slots hold, so windows that copy from all over it could
    // read it many times over if each read its segment whole. Read whole, this window's
    // segment would be all of block 64: 1 MiB for 300,000 bytes, more than twice its length.
    [
      'reads only what a window copies',
      300_000,
      [{ start: 64 * MIB + 100, size: 300_000, block: false }],
    ],
    // 1 MiB for 1,000,000 bytes: the block costs less than the dry run saying what to read.
    [
      'reads a segment whole when it lacks at most twice the window',
      1_000_000,
      [{ start: 64 * MIB, size: MIB, block: true }],
    ],
  ])(
    '%s of a local file the slots cannot hold whole',
    async (_, length, reads) => {
      const reference = randomBytes(65 * MIB);
      const at = 64 * MIB + 100;
      const window = vcdiffWindow({
        indicator: 0x01, // VCD_SOURCE
        segment: { length, position: at },
        targetLength: length,
        data: [],
        instructions: [19, ...varint(length)], // COPY, mode VCD_SELF, size follows
        addresses: varint(0),
      });
      const local = seekableSource(reference, 'reference.bin');
      const rebuilt = await collect(
        decodeWindows(local.source, once(Uint8Array.from([...VCDIFF_HEADER, ...window])), {
          runner: 'webassembly',
        }),
      );
      expect(rebuilt.equals(reference.subarray(at, at + length))).toBe(true);
      expect(local.reads).toEqual(reads);
    },
    60_000,
  );

  it('hands a window over in pieces of 1 MiB from two buffers of 1 MiB, and a later window still copies from it', async () => {
    // Window 1 copies 2.5 MiB of the reference (run in WebAssembly); window 2 copies from
    // window 1's bytes (VCD_TARGET: run in TypeScript) after window 1 went out in pieces.
    const reference = randomBytes(2.5 * MIB);
    const first = vcdiffWindow({
      indicator: 0x01, // VCD_SOURCE
      segment: { length: reference.length, position: 0 },
      targetLength: reference.length,
      data: [],
      instructions: [19, ...varint(reference.length)], // COPY, mode VCD_SELF, size follows
      addresses: varint(0),
    });
    const second = vcdiffWindow({
      indicator: 0x02, // VCD_TARGET: the segment is 1 MiB of window 1, from 1 MiB on
      segment: { length: MIB, position: MIB },
      targetLength: MIB + 4,
      data: [0x61, 0x62, 0x63, 0x64],
      instructions: [19, ...varint(MIB / 2), 19, ...varint(MIB / 2), 1, ...varint(4)],
      addresses: [...varint(MIB / 2), ...varint(0)],
    });
    const delta = Uint8Array.from([...VCDIFF_HEADER, ...first, ...second]);
    const segment = reference.subarray(MIB, 2 * MIB);
    const target = Buffer.concat([
      reference,
      segment.subarray(MIB / 2),
      segment.subarray(0, MIB / 2),
      Buffer.from('abcd'),
    ]);

    const { copies, memories } = await takenInTurns(
      decodeWindows(bytesSource(reference), once(delta), {
        runner: 'webassembly',
        reuseChunks: true,
      }),
    );
    expect(Buffer.concat(copies).equals(target)).toBe(true);
    expect(copies.map((copy) => copy.length)).toEqual([MIB, MIB, MIB / 2, MIB + 4]);
    // Window 1's three pieces take turns in two buffers of 1 MiB; window 2 needs a bigger one.
    const pieces = memories.slice(0, 3);
    expect(new Set(pieces).size).toBe(2);
    expect(pieces.map((memory) => memory.byteLength)).toEqual([MIB, MIB, MIB]);
  }, 60_000);

  it('reads the blocks in the order the window first copies from them, and runs on as they end in any order', async () => {
    // Short copies from the third block of the reference, then the first, then the second:
    // the window can run its copies from the third block while the others are still read.
    const reference = randomBytes(3 * MIB);
    const pieces: Buffer[] = [];
    for (const block of [2, 0, 1])
      for (let piece = 0; piece < 50; piece++) {
        const at = block * MIB + piece * 20_000;
        pieces.push(reference.subarray(at, at + 1000), randomBytes(16));
      }
    const target = Buffer.concat(pieces);
    const delta = await xdelta3Delta(join(scratch, 'in-order'), reference, target, [
      '-9',
      '-S',
      'none',
    ]);

    // Each read ends later than the one started after it.
    const started: number[] = [];
    const source: ByteSource = {
      ...bytesSource(reference),
      async readInto(into, at, range) {
        started.push(range.start);
        await new Promise((resolve) => setTimeout(resolve, 30 - 10 * started.length));
        into.set(reference.subarray(range.start, range.end), at);
      },
    };
    const rebuilt = await collect(decodeWindows(source, once(delta), { runner: 'webassembly' }));
    expect(rebuilt.equals(target)).toBe(true);
    expect(started).toEqual([2 * MIB, 0, MIB]);
  }, 60_000);

  it('decompresses the data of a window while its reads are in flight, and lets them end before failing', async () => {
    // The first window's data section made unreadable (its first LZMA2 chunk's control byte):
    // its reads are under way before the data is decompressed, and the failure waits for them.
    // The edits are text, so the data section is compressed.
    const reference = randomBytes(3 * MIB);
    const parts: Buffer[] = [];
    for (let at = 0; at < reference.length; at += 100_000)
      parts.push(reference.subarray(at, at + 90_000), Buffer.from(`an edit at ${at}, `.repeat(50)));
    const target = Buffer.concat(parts);
    const delta = await collect(encodeVcdiffStream(bytesSource(reference), bytesSource(target)));
    const damaged = Uint8Array.from(delta);
    damaged[firstDataSectionAt(delta) + FIRST_CHUNK_AT]! = 0x03;
    const seekable = seekableSource(reference);
    await expect(
      collect(decodeWindows(seekable.source, once(damaged), { runner: 'webassembly' })),
    ).rejects.toThrow(/damaged secondary compression: bad LZMA2 chunk/);
    expect(seekable.reads.length).toBeGreaterThan(0);
    expect(seekable.inFlight.now).toBe(0);
  }, 60_000);
});

/**
 * Where a compressed data section's first LZMA2 chunk starts, in the section: its one-byte size
 * varint is not assumed, so this is from after it; the xz stream header (12 bytes) and a block
 * header of 12 (the encoder's, LZMA2 filter and its dictionary) come first.
 */
const FIRST_CHUNK_AT = 12 + 12;

/** Where the first window's data section starts in `delta`, after its decoded-size varint. */
function firstDataSectionAt(delta: Uint8Array): number {
  let at = 4;
  const varint = () => {
    let value = 0;
    for (;;) {
      const byte = delta[at++]!;
      value = value * 128 + (byte & 0x7f);
      if (byte < 0x80) return value;
    }
  };
  const header = delta[at++]!;
  if (header & 0x01) at++; // the secondary compressor's id
  if (header & 0x04) {
    const length = varint(); // read first: it moves `at`
    at += length; // past the application header
  }
  const window = delta[at++]!;
  if (window & 0x03) {
    varint(); // the source segment's length
    varint(); // and where it starts
  }
  varint(); // the encoding's length
  varint(); // the target's length
  if (!(delta[at++]! & 0x01)) throw new Error('the data of the first window is not compressed');
  varint(); // the data's length
  varint(); // the instructions'
  varint(); // the addresses'
  if (window & 0x04) at += 4; // its Adler-32
  varint(); // the data's decoded size
  return at;
}
