import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// The stock xdelta3 program, as the tests run it on either side of our codec: through files in
// a scratch folder of the test's own, its warnings kept out of the test's output.

/** The delta `xdelta3 -e -f FLAGS -s REFERENCE TARGET DELTA` writes. */
export async function xdelta3Delta(
  folder: string,
  reference: Uint8Array,
  target: Uint8Array,
  flags: readonly string[],
): Promise<Uint8Array> {
  const [referencePath, targetPath, deltaPath] = await paths(folder, [
    'reference',
    'target',
    'delta',
  ]);
  await writeFile(referencePath, reference);
  await writeFile(targetPath, target);
  execFileSync('xdelta3', ['-e', '-f', ...flags, '-s', referencePath, targetPath, deltaPath], {
    stdio: 'pipe',
  });
  return new Uint8Array(await readFile(deltaPath));
}

/** What the program rebuilds from `delta`, run as the Python DeltaGlider runs it. */
export async function xdelta3Rebuild(
  folder: string,
  reference: Uint8Array,
  delta: Uint8Array,
): Promise<Buffer> {
  const [referencePath, deltaPath, outPath] = await paths(folder, ['reference', 'delta', 'out']);
  await writeFile(referencePath, reference);
  await writeFile(deltaPath, delta);
  execFileSync('xdelta3', ['-d', '-f', '-s', referencePath, deltaPath, outPath], {
    stdio: 'pipe',
  });
  return readFile(outPath);
}

/** Files named `names` in `folder`, made if it is not there. */
async function paths<const Names extends readonly string[]>(
  folder: string,
  names: Names,
): Promise<{ [Index in keyof Names]: string }> {
  await mkdir(folder, { recursive: true });
  return names.map((name) => join(folder, name)) as { [Index in keyof Names]: string };
}
