import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// CommonJS projects `require()` our ESM builds (Node >= 20.19 loads ESM from require); the
// exports maps must answer `require` too. Each package is required by name, from a plain
// CommonJS process, as a user's project would.

const run = promisify(execFile);
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const publicPackages = [
  '@deltaglider/core',
  '@deltaglider/sdk',
  '@deltaglider/s3-adapter',
  '@deltaglider/fs-adapter',
  '@deltaglider/memory-adapter',
  '@deltaglider/xdelta3-codec',
];
// `@deltaglider/object-store-contract` is left out on purpose: it runs inside vitest, which is
// ESM-only, and is published as ESM only.

async function commonjs(script: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--input-type=commonjs', '-e', script], {
    cwd: packageRoot,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return stdout.trim();
}

describe('CommonJS consumers', () => {
  it.each(publicPackages)('require(%j) loads the package and its package.json', async (name) => {
    const exported = await commonjs(
      `const m = require(${JSON.stringify(name)}); const p = require(${JSON.stringify(`${name}/package.json`)}); console.log(Object.keys(m).length > 0 && p.name === ${JSON.stringify(name)})`,
    );
    expect(exported).toBe('true');
  });

  it('computes stats of a file:// store through require("@deltaglider/sdk")', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dg-cjs-'));
    try {
      const answer = await commonjs(`
        const { mkdirSync } = require('node:fs');
        const { createClient } = require('@deltaglider/sdk');
        mkdirSync(${JSON.stringify(join(root, 'releases'))});
        createClient({ endpoint: ${JSON.stringify(`file://${root}`)} })
          .getBucketStats('releases')
          .then((stats) => console.log(stats.objectCount, stats.cache.status));
      `);
      expect(answer).toBe('0 miss');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
