import { deleteObjects, type ObjectStore, type ObjectStoreCapabilities } from '@deltaglider/core';

/**
 * An `ObjectStore` built on its first call. The S3 adapter loads the AWS SDK, about a third of
 * a second of module loading: a client for a local directory, or a CLI asked for `--help`,
 * should not pay for it. Every call waits for the same load; a failed load fails each call.
 */
type OptionalMethod = 'listBuckets' | 'listVersions' | 'listUploads' | 'listParts' | 'abortUpload';

export function createLazyObjectStore(
  capabilities: ObjectStoreCapabilities,
  load: () => Promise<ObjectStore>,
): ObjectStore {
  let loading: Promise<ObjectStore> | undefined;
  const store = () => {
    loading ??= load();
    return loading;
  };
  /** An optional method of the loaded store, which it must have. */
  const required = <Name extends OptionalMethod>(name: Name, missing: string) =>
    (async (...args: unknown[]) => {
      const loaded = await store();
      const method = loaded[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
      if (!method) throw new Error(missing);
      return method.apply(loaded, args);
    }) as NonNullable<ObjectStore[Name]>;
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
    listBuckets: required('listBuckets', 'this store cannot list its buckets'),
    // Only S3 stores load lazily, and they list versions and multipart uploads.
    listVersions: required('listVersions', 'this store keeps no versions'),
    listUploads: required('listUploads', 'this store has no multipart uploads'),
    listParts: required('listParts', 'this store has no multipart uploads'),
    abortUpload: required('abortUpload', 'this store has no multipart uploads'),
    async deleteNoncurrentVersions(...args) {
      const loaded = await store();
      return loaded.deleteNoncurrentVersions ? loaded.deleteNoncurrentVersions(...args) : 0;
    },
  };
}
