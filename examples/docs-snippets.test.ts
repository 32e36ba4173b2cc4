import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Every TypeScript snippet a user may copy from the docs compiles under the strictest settings
// we hold ourselves to (exactOptionalPropertyTypes included): `endpoint: process.env.X` too.
// Each document's blocks build on each other, so they are checked as one module, in order.

const run = promisify(execFile);
const packageRoot = fileURLToPath(new URL('.', import.meta.url));
const repositoryRoot = join(packageRoot, '..');
const documents = [
  'docs/sdk.md',
  'README.md',
  'apps/sdk/README.md',
  'packages/core/README.md',
  'packages/s3-adapter/README.md',
  'packages/fs-adapter/README.md',
  'packages/memory-adapter/README.md',
  'packages/xdelta3-codec/README.md',
  'packages/vcdiff-codec/README.md',
  'packages/exporter/README.md',
  'packages/object-store-contract/README.md',
];

function typescriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

describe('docs snippets', () => {
  it.each(documents)(
    '%s type-checks',
    async (document) => {
      const blocks = typescriptBlocks(await readFile(join(repositoryRoot, document), 'utf8'));
      expect(blocks.length).toBeGreaterThan(0);
      // Inside this package, so `@deltaglider/*` resolve to the workspace builds.
      const directory = join(packageRoot, `.snippets-${document.replace(/\W/g, '-')}`);
      await mkdir(directory, { recursive: true });
      try {
        await writeFile(join(directory, 'snippets.ts'), `${blocks.join('\n')}\nexport {};\n`);
        await writeFile(
          join(directory, 'tsconfig.json'),
          JSON.stringify({
            extends: '../../tsconfig.base.json',
            compilerOptions: { noEmit: true, types: ['node'], noUnusedLocals: false },
            files: ['snippets.ts'],
          }),
        );
        const tsc = join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc');
        const result = await run(process.execPath, [tsc, '-p', directory]).catch(
          (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
        );
        expect(result.stdout).toBe('');
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
