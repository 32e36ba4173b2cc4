import { deleteObjects, type ObjectStore, type ObjectStoreCapabilities } from '@deltaglider/core';

/**
 * An `ObjectStore` built on its first call. The S3 adapter loads the AWS SDK, about a third of
 * a second of module loading: a client for a local directory, or a CLI asked for `--help`,
 * should not pay for it. Every call waits for the same load; a failed load fails each call.
 */
export function createLazyObjectStore(
  capabilities: ObjectStoreCapabilities,
  load: () => Promise<ObjectStore>,
): ObjectStore {
  let loading: Promise<ObjectStore> | undefined;
  const store = () => {
    loading ??= load();
    return loading;
  };
  return {
    capabilities,
    head: async (...args) => (await store()).head(...args),
    get: async (...args) => (await store()).get(...args),
    put: async (...args) => (await store()).put(...args),
    list: async (...args) => (await store()).list(...args),
    delete: async (...args) => (await store()).delete(...args),
    // Whether the store batches is only known once it loads; deleteObjects covers both.
    deleteMany: async (...args) => deleteObjects(await store(), ...args),
    async bucketProtection(...args) {
      const loaded = await store();
      return loaded.bucketProtection
        ? loaded.bucketProtection(...args)
        : { versioning: 'off', defaultRetention: false };
    },
    async listBuckets(...args) {
      const loaded = await store();
      if (!loaded.listBuckets) throw new Error('this store cannot list its buckets');
      return loaded.listBuckets(...args);
    },
    // Only S3 stores load lazily, and they list versions.
    async listVersions(...args) {
      const loaded = await store();
      if (!loaded.listVersions) throw new Error('this store keeps no versions');
      return loaded.listVersions(...args);
    },
    async listUploads(...args) {
      const loaded = await store();
      if (!loaded.listUploads) throw new Error('this store has no multipart uploads');
      return loaded.listUploads(...args);
    },
    async listParts(...args) {
      const loaded = await store();
      if (!loaded.listParts) throw new Error('this store has no multipart uploads');
      return loaded.listParts(...args);
    },
    async abortUpload(...args) {
      const loaded = await store();
      if (!loaded.abortUpload) throw new Error('this store has no multipart uploads');
      return loaded.abortUpload(...args);
    },
    async deleteNoncurrentVersions(...args) {
      const loaded = await store();
      return loaded.deleteNoncurrentVersions ? loaded.deleteNoncurrentVersions(...args) : 0;
    },
  };
}
