import { InventoryError, type ObjectStore } from '@deltaglider/core';
import type { InventoryFiles } from './inventory-files.js';

/**
 * An inventory destination in a bucket: `prefix` is the folder that holds the report folders
 * (`destination-prefix/source-bucket/config-ID/`). Data files are read by the keys the
 * manifest gives, in the same bucket.
 */
export function storeInventoryFiles(
  store: ObjectStore,
  bucket: string,
  prefix: string,
): InventoryFiles {
  const url = (key: string) => `s3://${bucket}/${key}`;
  return {
    location: url(prefix),
    async listFolders(options = {}) {
      const folders: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list(bucket, { prefix, delimiter: '/', cursor, ...options });
        for (const common of page.commonPrefixes)
          folders.push(common.slice(prefix.length).replace(/\/$/, ''));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return folders;
    },
    async readSmall(path, options = {}) {
      const object = await store.get(bucket, `${prefix}${path}`, options);
      if (!object) return undefined;
      const chunks: Uint8Array[] = [];
      for await (const chunk of object.body) chunks.push(chunk);
      return new Uint8Array(Buffer.concat(chunks));
    },
    urlOf: (path) => url(`${prefix}${path}`),
    locate: async (key) => url(key),
    async openDataFile(key, options = {}) {
      const object = await store.get(bucket, key, options);
      if (!object)
        throw new InventoryError(url(key), 'missing: the manifest lists it, the bucket has not');
      return { body: object.body, url: url(key) };
    },
  };
}
