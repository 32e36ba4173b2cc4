// The README's first command. Writes four versions of a ~1 MB release archive, uploads them with
// `deltaglider cp` into a local file:// store (the first becomes the reference, the rest small
// VCDIFF deltas: made by xdelta3 when it is installed, else by the built-in TypeScript codec),
// then runs `deltaglider stats` twice: the first call computes and caches, the second is
// answered from the cache.
import { spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFsObjectStore } from '@deltaglider/fs-adapter';

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const demoRoot = join(cliRoot, '..', '..', '.deltaglider-demo');
const storeRoot = join(demoRoot, 'store');
const filesRoot = join(demoRoot, 'files');
const bin = join(cliRoot, 'dist', 'bin.js');
// pnpm runs this from the package folder; show paths as seen from where the user typed.
const userCwd = process.env.INIT_CWD ?? process.cwd();
const shown = (path) => relative(userCwd, path) || '.';
const endpoint = `file://${shown(storeRoot)}`;

function deltaglider(args, comment) {
  console.log(`$ deltaglider ${args.join(' ')}${comment ? `    # ${comment}` : ''}`);
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit', cwd: userCwd });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

await rm(demoRoot, { recursive: true, force: true });
const store = createFsObjectStore({ root: storeRoot });
await store.createBucket('releases');

await mkdir(filesRoot, { recursive: true });
// Versions of an archive: shared bytes, a few changed regions, a little growth each release.
const base = new Uint8Array(1_000_000);
for (let index = 0; index < base.length; index++)
  base[index] = (Math.imul(index, 2654435761) >>> 13) & 255;
for (let version = 0; version < 4; version++) {
  const bytes = new Uint8Array(base.length + version * 4096);
  bytes.set(base);
  bytes.fill(version + 1, base.length);
  bytes.fill(0xaa, 100_000 * version, 100_000 * version + 512);
  const file = join(filesRoot, `app-1.${version}.0.zip`);
  await writeFile(file, bytes);
  deltaglider(['--endpoint-url', endpoint, 'cp', shown(file), 's3://releases/app/']);
}
const hasXdelta3 = spawnSync('xdelta3', ['-V']).error === undefined;
console.log(
  hasXdelta3
    ? '(deltas made by the xdelta3 program; --codec ts uses the built-in codec)'
    : '(deltas made by the built-in TypeScript codec: xdelta3 is not installed, and not needed)',
);
console.log('');
deltaglider(['--endpoint-url', endpoint, 'stats', 'releases'], 'computes and caches');
console.log('');
deltaglider(['--endpoint-url', endpoint, 'stats', 'releases'], 'answered from the cache');
