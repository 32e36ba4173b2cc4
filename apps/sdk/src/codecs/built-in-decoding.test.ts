import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bytesSource, readBody } from '@deltaglider/core/adapter-kit';
import { fileSource } from '@deltaglider/fs-adapter';
import { createXdelta3Codec } from '@deltaglider/xdelta3-codec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBuiltInDecoding } from './built-in-decoding.js';
import { createVcdiffCodec } from './vcdiff-delta-codec.js';

// `auto` with xdelta3 installed: the program encodes, the built-in codec decodes what it reads,
// and the program still rebuilds what only it can. The program here is the real xdelta3 behind
// a script that writes down each command line it is run with.

let scratch: string;
let program: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-built-in-decoding-'));
  program = join(scratch, 'xdelta3-logged');
  await writeFile(
    program,
    `#!/bin/sh\necho "$*" >> "${join(scratch, 'runs')}"\nexec xdelta3 "$@"\n`,
  );
  await chmod(program, 0o755);
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function runsOfProgram(): Promise<string[]> {
  const log = await readFile(join(scratch, 'runs'), 'utf8').catch(() => '');
  await rm(join(scratch, 'runs'), { force: true });
  return log.split('\n').filter(Boolean);
}

function codec() {
  return withBuiltInDecoding(
    createXdelta3Codec({ binary: program, tempDirectory: scratch, level: 9 }),
    createVcdiffCodec({ tempDirectory: scratch }),
  );
}

async function xdelta3Delta(reference: Uint8Array, target: Uint8Array, flags: string[]) {
  const [from, to, delta] = ['from', 'to', 'delta'].map((name) => join(scratch, name));
  await writeFile(from!, reference);
  await writeFile(to!, target);
  execFileSync('xdelta3', ['-e', '-f', ...flags, '-s', from!, to!, delta!], { stdio: 'pipe' });
  return readFile(delta!);
}

/** A delta's bytes a few at a time, as a slow network might hand them over. */
async function* trickled(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const reference = randomBytes(300_000);
const target = Buffer.concat([
  reference.subarray(0, 100_000),
  randomBytes(700),
  reference.subarray(100_200),
]);

describe('withBuiltInDecoding', () => {
  it('encodes with the program and decodes its delta without it, however the delta is cut', async () => {
    const made = codec();
    expect(made.encoderCommand).toBe('xdelta3 -e -9');
    const delta = await made.encode(bytesSource(reference), bytesSource(target));
    try {
      expect((await runsOfProgram()).map((run) => run.split(' ')[0])).toEqual(['-e']);
      const bytes = await readBody(delta.read());
      for (const size of [1, 3, 7, bytes.length]) {
        const rebuilt = await readBody(made.decode(bytesSource(reference), trickled(bytes, size)));
        expect(Buffer.from(rebuilt).equals(target)).toBe(true);
      }
      expect(await runsOfProgram()).toEqual([]);
    } finally {
      await delta.dispose();
    }
  });

  it('gives the program what only it rebuilds: DJW sections, files it decompressed first', async () => {
    const djw = await xdelta3Delta(reference, target, ['-S', 'djw']);
    const rebuilt = await readBody(codec().decode(bytesSource(reference), trickled(djw, 5)));
    expect(Buffer.from(rebuilt).equals(target)).toBe(true);
    expect((await runsOfProgram()).map((run) => run.split(' ')[0])).toEqual(['-d']);

    // As the Python tool's xdelta3 encodes a .gz release. The program rebuilds the contents
    // and recompresses them with the system's gzip, so the bytes are compared decompressed.
    const gzipped = gzipSync(reference);
    const fromGzip = await xdelta3Delta(gzipped, gzipSync(target), ['-9']);
    const referencePath = join(scratch, 'reference.gz');
    await writeFile(referencePath, gzipped);
    const out = await readBody(
      codec().decode(fileSource(referencePath, gzipped.length), trickled(fromGzip, 100)),
    );
    expect(execFileSync('gzip', ['-dc'], { input: out }).equals(target)).toBe(true);
    expect((await runsOfProgram()).map((run) => run.split(' ')[0])).toEqual(['-d']);
  });

  it('lets the program say what is wrong with a delta that is none', async () => {
    const garbage = randomBytes(2_000);
    await expect(
      readBody(codec().decode(bytesSource(reference), trickled(garbage, 64))),
    ).rejects.toThrow(/xdelta3/);
    expect((await runsOfProgram()).map((run) => run.split(' ')[0])).toEqual(['-d']);
  });
});
