// The README's first command: seeds a local file:// store with a bucket the Python DeltaGlider
// wrote (three deltaspaces of versioned archives), then runs `deltaglider stats` twice: the
// first call computes and caches, the second is answered from the cache.
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFsObjectStore } from '@deltaglider/fs-adapter';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(cliRoot, '..', '..');
const storeRoot = join(repoRoot, '.deltaglider-demo');
const bin = join(cliRoot, 'dist', 'bin.js');

await rm(storeRoot, { recursive: true, force: true });
const store = createFsObjectStore({ root: storeRoot });
await store.createBucket('releases');
const objects = await loadFixtureBucket(store, 'releases');
// pnpm runs this from the package folder; show paths as seen from where the user typed.
const userCwd = process.env.INIT_CWD ?? process.cwd();
const endpoint = `file://${relative(userCwd, storeRoot) || '.'}`;
console.log(
  `Seeded ${endpoint} bucket "releases" with ${objects.length} objects written by the Python DeltaGlider.\n`,
);

for (const round of ['first call: computes and caches', 'second call: answered from the cache']) {
  const args = ['--endpoint-url', endpoint, 'stats', 'releases'];
  console.log(`$ deltaglider ${args.join(' ')}    # ${round}`);
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit', cwd: userCwd });
  if (result.status !== 0) process.exit(result.status ?? 1);
  console.log('');
}
