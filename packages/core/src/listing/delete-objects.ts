import { ObjectStoreError } from '../errors/object-store-error.js';
import type {
  DeleteFailure,
  DeleteManyResult,
  ObjectStore,
  RequestOptions,
} from '../ports/object-store.js';

/** Deletes keys with the store's batch delete when it has one, one by one otherwise. */
export async function deleteObjects(
  store: ObjectStore,
  bucket: string,
  keys: readonly string[],
  options: RequestOptions = {},
): Promise<DeleteManyResult> {
  if (store.deleteMany) return store.deleteMany(bucket, keys, options);
  const deleted: string[] = [];
  const failed: DeleteFailure[] = [];
  for (const key of keys) {
    try {
      await store.delete(bucket, key, options);
      deleted.push(key);
    } catch (error) {
      // A missing bucket or a denied request fails the whole batch, as it would over S3.
      if (!ObjectStoreError.isInstance(error) || error.code !== 'INVALID_KEY') throw error;
      failed.push({ key, code: error.code, message: error.message });
    }
  }
  return { deleted, failed };
}
