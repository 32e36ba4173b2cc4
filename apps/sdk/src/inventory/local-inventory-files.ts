import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InventoryError } from '@deltaglider/core';
import type { InventoryFiles } from './inventory-files.js';

/**
 * A local copy of an inventory destination (`aws s3 sync s3://dest/prefix/ DIR`): `directory`
 * is the folder that holds the report folders. A data file's key in the destination bucket
 * (`dest-prefix/source-bucket/config-ID/data/x.csv.gz`) is looked for under `directory` with
 * its leading folders dropped one by one, so a copy of the whole bucket and a copy of the
 * config folder both work.
 */
export function localInventoryFiles(directory: string): InventoryFiles {
  const url = (path: string) => pathToFileURL(join(directory, path)).href;
  return {
    location: pathToFileURL(directory + sep).href,
    async listFolders() {
      try {
        const entries = await readdir(directory, { withFileTypes: true });
        return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
      } catch (error) {
        throw new InventoryError(url(''), `cannot be read (${(error as Error).message})`);
      }
    },
    async readSmall(path) {
      try {
        return new Uint8Array(await readFile(join(directory, path)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new InventoryError(url(path), `cannot be read (${(error as Error).message})`);
      }
    },
    urlOf: url,
    async openDataFile(key) {
      const path = await findDataFile(directory, key);
      return { body: createReadStream(path), url: pathToFileURL(path).href };
    },
    locate: (key) => findDataFile(directory, key),
    async localDataFile(key) {
      const path = await findDataFile(directory, key);
      return { path, url: pathToFileURL(path).href };
    },
  };
}

async function findDataFile(directory: string, key: string): Promise<string> {
  const segments = key.split('/').filter((segment) => segment !== '' && segment !== '..');
  for (let drop = 0; drop < segments.length; drop++) {
    const path = join(directory, ...segments.slice(drop));
    const found = await stat(path).catch(() => undefined);
    if (found?.isFile()) return path;
  }
  throw new InventoryError(
    pathToFileURL(join(directory, segments.at(-1) ?? key)).href,
    `the data file ${key} the manifest lists is not under ${directory}`,
  );
}
