import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CompileCacheHost, keepCompiledCode } from './compile-cache.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const nodeKeepsCompiledCode =
  typeof (nodeModule as CompileCacheHost).enableCompileCache === 'function';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-compile-cache-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('keepCompiledCode', () => {
  it("asks Node for its compile cache, in Node's own directory, and does nothing where Node has none", () => {
    const asked: unknown[][] = [];
    keepCompiledCode({ enableCompileCache: (...args: unknown[]) => asked.push(args) });
    expect(asked).toEqual([[]]);
    expect(() => keepCompiledCode({})).not.toThrow();
  });

  // Node 22.1 and newer; CI's Node 20 has no compile cache, which the test above covers.
  it.runIf(nodeKeepsCompiledCode)(
    "keeps the program's compiled code in the temp directory's node-compile-cache, and none with NODE_DISABLE_COMPILE_CACHE",
    async () => {
      // $NODE_COMPILE_CACHE alone would make Node keep it: the program must ask for it.
      const run = async (name: string, env: Record<string, string> = {}) => {
        const temp = join(scratch, name);
        await mkdir(temp);
        await promisify(execFile)(process.execPath, [bin, '--help'], {
          env: { PATH: process.env.PATH ?? '', HOME: scratch, TMPDIR: temp, ...env },
        });
        return readdir(temp, { recursive: true });
      };
      const kept = await run('kept');
      expect(kept).toContain('node-compile-cache');
      expect(kept.length).toBeGreaterThan(2);
      expect(await run('disabled', { NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual([]);
    },
  );
});
