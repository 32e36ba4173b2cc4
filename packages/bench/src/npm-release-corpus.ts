import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';

const run = promisify(execFile);

/**
 * Pairs of consecutive releases of well-known npm packages, pinned so every run measures the
 * same bytes: JavaScript bundles, type declarations, WebAssembly, source maps, fonts and
 * native-addon glue, from 100 KB to 100 MB. Nobody here wrote them.
 */
export const NPM_RELEASE_PAIRS: readonly (readonly [string, string, string])[] = [
  ['lodash', '4.18.0', '4.18.1'],
  ['react-dom', '19.3.0', '19.3.1'],
  ['sharp', '0.35.5', '0.35.6'],
  ['prettier', '3.10.0', '3.10.1'],
  ['esbuild-wasm', '0.28.1', '0.28.2'],
  ['three', '0.186.0', '0.186.1'],
  ['@aws-sdk/client-s3', '3.1173.0', '3.1175.0'],
  ['pdfjs-dist', '6.4.299', '6.5.438'],
  ['typescript', '6.0.2', '6.0.3'],
  ['monaco-editor', '0.55.0', '0.55.1'],
];

export interface ReleasePair {
  readonly name: string;
  readonly older: string;
  readonly newer: string;
}

/**
 * Downloads (`npm pack`) and gunzips each pair into `directory` (a cache: what is there is
 * kept), returning the plain `.tar` paths: what release archives look like to DeltaGlider.
 */
export async function npmReleaseCorpus(
  directory: string,
  pairs = NPM_RELEASE_PAIRS,
): Promise<ReleasePair[]> {
  await mkdir(directory, { recursive: true });
  const corpus: ReleasePair[] = [];
  for (const [name, older, newer] of pairs) {
    corpus.push({
      name: `${name} ${older} -> ${newer}`,
      older: await releaseTar(directory, name, older),
      newer: await releaseTar(directory, name, newer),
    });
  }
  return corpus;
}

async function releaseTar(directory: string, name: string, version: string): Promise<string> {
  const tar = join(directory, `${name.replace('/', '__')}-${version}.tar`);
  if (existsSync(tar)) return tar;
  const scratch = join(directory, `.pack-${process.pid}`);
  await mkdir(scratch, { recursive: true });
  try {
    const { stdout } = await run(
      'npm',
      ['pack', `${name}@${version}`, '--pack-destination', scratch, '--json', '--silent'],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    if (!packed) throw new Error(`npm pack ${name}@${version} printed no file`);
    const partial = `${tar}.partial`;
    await pipeline(
      createReadStream(join(scratch, packed.filename)),
      createGunzip(),
      createWriteStream(partial),
    );
    await rename(partial, tar);
    return tar;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
