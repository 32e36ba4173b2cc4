import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// dist/ bundles p-limit and its yocto-queue (tsup.config.ts, noExternal): the MIT licence asks
// that their notices travel with them, so the tarball carries THIRD-PARTY-NOTICES.md.

const root = new URL('../', import.meta.url);
const read = (path: string) => readFile(new URL(path, root), 'utf8');
const requireHere = createRequire(new URL('package.json', root));

/** A dependency's licence file, found through the package that depends on it. */
async function licenceOf(
  name: string,
  from: NodeJS.Require,
): Promise<{ text: string; version: string; require: NodeJS.Require }> {
  const main = from.resolve(name);
  let directory = dirname(main);
  while (!directory.endsWith(`node_modules/${name}`)) directory = dirname(directory);
  const text = await readFile(join(directory, 'license'), 'utf8');
  const { version } = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8'));
  return { text, version, require: createRequire(join(directory, 'package.json')) };
}

describe('third-party notices', () => {
  it('ship in the package, with the licence of every bundled package, verbatim', async () => {
    const manifest = JSON.parse(await read('package.json'));
    expect(manifest.files).toContain('THIRD-PARTY-NOTICES.md');
    const config = await read('tsup.config.ts');
    const bundled = JSON.parse(
      /noExternal: (\[[^\]]*\])/.exec(config)?.[1]?.replaceAll("'", '"') ?? '[]',
    );
    expect(bundled).toEqual(['p-limit', 'yocto-queue']);
    const notices = await read('THIRD-PARTY-NOTICES.md');
    const pLimit = await licenceOf('p-limit', requireHere);
    const yoctoQueue = await licenceOf('yocto-queue', pLimit.require);
    for (const [name, { text, version }] of [
      ['p-limit', pLimit],
      ['yocto-queue', yoctoQueue],
    ] as const) {
      expect(notices).toContain(`## ${name} ${version}`);
      expect(notices).toContain(text.trim());
    }
  });
});
