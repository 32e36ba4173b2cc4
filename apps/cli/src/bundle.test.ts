import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The program ships as two bundles (tsup.config.ts): what each command line loads, what stays
// a dependency, and the notices of what is inlined.

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const bin = join(dist, 'bin.js');
const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

let scratch: string;
let loadHook: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-bundle-'));
  // A module hook that names every file the program loads, on stderr.
  loadHook = join(scratch, 'log-loads.mjs');
  await writeFile(
    join(scratch, 'hooks.mjs'),
    `export async function load(url, context, next) {
       if (url.startsWith('file:')) process.stderr.write('loaded ' + url + '\\n');
       return next(url, context);
     }`,
  );
  await writeFile(
    loadHook,
    `import { register } from 'node:module';
     register(${JSON.stringify(new URL(`file://${join(scratch, 'hooks.mjs')}`).href)});`,
  );
  await mkdir(join(scratch, 'store', 'warm'), { recursive: true });
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The files of dist/ (and beyond) that one command line loads, as paths below dist/. */
async function filesLoadedBy(args: string[]): Promise<string[]> {
  const { stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', loadHook, bin, ...args],
    {
      env: { PATH: process.env.PATH ?? '', HOME: scratch },
    },
  );
  return [...stderr.matchAll(/^loaded file:\/\/(.+)$/gm)].map(([, path]) =>
    (path as string).startsWith(dist) ? (path as string).slice(dist.length) : (path as string),
  );
}

describe('the bundled program', () => {
  it('parses --help without loading any command, the SDK or a dependency', async () => {
    const loaded = await filesLoadedBy(['--help']);
    expect(loaded).toContain('bin.js');
    expect(loaded.filter((file) => file.endsWith('-run.js') || file.includes('/'))).toEqual([]);
  });

  it('answers a warm stats on file:// with the stats command alone, without the AWS SDK', async () => {
    const store = ['--endpoint-url', `file://${join(scratch, 'store')}`, '--adopt-directory'];
    await filesLoadedBy([...store, 'stats', 'warm']);
    const loaded = await filesLoadedBy([...store, 'stats', 'warm']);
    expect(loaded.filter((file) => file.endsWith('-run.js'))).toEqual(['stats-run.js']);
    expect(loaded.filter((file) => file.includes('node_modules'))).toEqual([]);
  });

  it('imports nothing but Node built-ins and its declared dependencies', async () => {
    const bare = new Set<string>();
    for (const file of (await readdir(dist)).filter((name) => name.endsWith('.js'))) {
      const code = await readFile(join(dist, file), 'utf8');
      for (const [, specifier] of code.matchAll(/(?:from|import\(|require\()\s*"([^"./][^"]*)"/g))
        bare.add(specifier as string);
    }
    const packageOf = (specifier: string) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/');
    const undeclared = [...bare].filter(
      (specifier) =>
        !builtinModules.includes(specifier.replace(/^node:/, '')) &&
        !(packageOf(specifier) in manifest.dependencies),
    );
    expect(undeclared).toEqual([]);
    expect(bare).toContain('@aws-sdk/client-s3');
  });

  it('ships the licence of every package it inlines, verbatim', async () => {
    expect(manifest.files).toEqual(['dist']);
    const notices = await readFile(join(dist, 'THIRD-PARTY-NOTICES.md'), 'utf8');
    const requireHere = createRequire(new URL('../package.json', import.meta.url));
    for (const name of ['yargs', 'zod', 'get-east-asian-width']) {
      let directory = dirname(requireHere.resolve(name));
      while (!directory.endsWith(`node_modules/${name}`)) directory = dirname(directory);
      const { version } = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8'));
      const licence = (await readdir(directory)).find((file) => /^licen[cs]e/i.test(file));
      expect(notices).toContain(`## ${name} ${version}`);
      expect(notices).toContain(
        (await readFile(join(directory, licence as string), 'utf8')).trim(),
      );
    }
    // Their own dependencies too (p-limit comes with core's sources, yargs-parser with yargs).
    for (const name of ['yargs-parser', 'cliui', 'p-limit', 'yocto-queue'])
      expect(notices).toMatch(new RegExp(`^## ${name} \\d`, 'm'));
    // Not what stays a dependency: its own licence comes with it.
    expect(notices).not.toMatch(/^## (@aws-sdk|@smithy|prom-client)/m);
  });
});
