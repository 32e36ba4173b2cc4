import { randomUUID } from 'node:crypto';
import {
  type FileHandle,
  link,
  mkdir,
  open,
  readdir,
  rename,
  rmdir,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  BucketNotFoundError,
  DamagedObjectError,
  type DeleteFailure,
  isAbortError,
  type ListPage,
  messageOf,
  NotAStoreError,
  type ObjectHead,
  type ObjectStore,
  ObjectStoreError,
  type ObjectSummary,
  PreconditionFailedError,
  type RequestOptions,
  type StoredObject,
  StoreUnavailableError,
} from '@deltaglider/core';
import {
  assertValidBucketName,
  buildListPage,
  compareKeys,
  isValidBucketName,
  lowerCaseMetadataKeys,
  resolveListPosition,
} from '@deltaglider/core/adapter-kit';
import { fileChunks } from './file-chunks.js';
import { withKeyLock } from './key-lock.js';
import {
  classifyEntry,
  isOurFile,
  keyToNames,
  LOCK_SUFFIX,
  STORE_MARKER,
  TEMP_DIRECTORY,
} from './key-path.js';
import { type ObjectFileHeader, readObjectFileHeader, writeObjectFile } from './object-file.js';

export interface FsObjectStoreOptions {
  /** The store's directory: each bucket is a sub-directory `<root>/<bucket>`. */
  readonly root: string;
  /**
   * Use bucket directories that hold files the tool did not write (they are ignored). Default
   * false: such a directory is refused with `NotAStoreError`, so pointing a `file://` endpoint
   * at an ordinary folder never reports it as empty nor writes into it.
   */
  readonly adoptDirectories?: boolean | undefined;
  /** Told about files skipped while listing (damaged object files), one message each. */
  readonly onWarning?: ((message: string) => void) | undefined;
}

/** How many entries the store check looks at before taking a directory as a store. */
const STORE_CHECK_ENTRIES = 5_000;

export interface FsObjectStore extends ObjectStore {
  readonly root: string;
  /** Creates `<root>/<bucket>` if it is not there yet. */
  createBucket(bucket: string): Promise<void>;
}

export function createFsObjectStore(options: FsObjectStoreOptions): FsObjectStore {
  const root = options.root;

  function bucketDirectory(bucket: string): string {
    // S3's naming rules also keep a bucket name a safe directory name.
    assertValidBucketName(bucket);
    return join(root, bucket);
  }

  const checkedBuckets = new Map<string, Promise<void>>();
  async function existingBucket(bucket: string, request: RequestOptions = {}): Promise<string> {
    request.signal?.throwIfAborted();
    const directory = bucketDirectory(bucket);
    const found = await stat(directory).catch(() => undefined);
    if (!found?.isDirectory()) throw new BucketNotFoundError(bucket);
    if (!options.adoptDirectories) {
      let checking = checkedBuckets.get(bucket);
      if (!checking) {
        checking = assertIsStore(directory, bucket);
        checkedBuckets.set(bucket, checking);
        checking.catch(() => checkedBuckets.delete(bucket));
      }
      await checking;
    }
    return directory;
  }

  const markedBuckets = new Set<string>();
  async function markAsStore(bucketPath: string): Promise<void> {
    if (markedBuckets.has(bucketPath)) return;
    await writeFile(join(bucketPath, STORE_MARKER), '', { flag: 'a' });
    markedBuckets.add(bucketPath);
  }

  function objectPath(bucketPath: string, key: string): { directory: string; file: string } {
    const names = keyToNames(key);
    const directory = join(bucketPath, ...names.directories);
    return { directory, file: join(directory, names.file) };
  }

  async function readHead(file: string, bucket: string, key: string): Promise<ObjectHead | null> {
    const handle = await openIfPresent(file);
    if (!handle) return null;
    try {
      return headOf((await readHeaderOf(handle, file, bucket, key)).header);
    } finally {
      await handle.close();
    }
  }

  async function* objectsInOrder(
    bucket: string,
    directory: string,
    keyPrefix: string,
    prefix: string,
    startAfter: string,
  ): AsyncGenerator<ObjectSummary> {
    const entries = await readdir(directory, { withFileTypes: true }).catch(ignoreMissing);
    if (!entries) return;
    const ordered = entries
      .flatMap((entry) => {
        const classified = classifyEntry(entry.name, entry.isDirectory());
        if (!classified) return [];
        const path = keyPrefix + classified.segment + (classified.kind === 'directory' ? '/' : '');
        return [{ ...classified, name: entry.name, path }];
      })
      // Every key under a directory starts with its path plus '/', so sorting directories by
      // that path and objects by their key yields the bucket's global byte order.
      .sort((a, b) => compareKeys(a.path, b.path));

    for (const entry of ordered) {
      if (entry.kind === 'directory') {
        if (!entry.path.startsWith(prefix) && !prefix.startsWith(entry.path)) continue;
        if (!startAfter.startsWith(entry.path) && compareKeys(entry.path, startAfter) < 0) continue;
        yield* objectsInOrder(bucket, join(directory, entry.name), entry.path, prefix, startAfter);
        continue;
      }
      if (!entry.path.startsWith(prefix) || compareKeys(entry.path, startAfter) <= 0) continue;
      let head: ObjectHead | null;
      try {
        head = await readHead(join(directory, entry.name), bucket, entry.path);
      } catch (error) {
        if (!DamagedObjectError.isInstance(error)) throw error;
        // One damaged file must not hide every other object: skip it, and say which.
        options.onWarning?.(`skipped while listing: ${error.message}`);
        continue;
      }
      // Deleted between readdir and open: S3 would not list it either.
      if (head)
        yield { key: head.key, size: head.size, etag: head.etag, lastModified: head.lastModified };
    }
  }

  async function removeEmptyDirectories(bucketPath: string, directory: string): Promise<void> {
    let current = directory;
    while (current.length > bucketPath.length) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or already gone): stop climbing
      }
      current = join(current, '..');
    }
  }

  return {
    root,
    capabilities: { conditionalPut: true },

    async createBucket(bucket) {
      await mkdir(bucketDirectory(bucket), { recursive: true });
      await markAsStore(bucketDirectory(bucket));
    },

    /** Every directory under the root whose name can be a bucket's. */
    async listBuckets(request) {
      request?.signal?.throwIfAborted();
      const entries = await readdir(root, { withFileTypes: true }).catch(ignoreMissing);
      const names = (entries ?? [])
        .filter((entry) => entry.isDirectory() && isValidBucketName(entry.name))
        .map((entry) => entry.name)
        .sort();
      return Promise.all(
        names.map(async (name) => {
          const created = await stat(join(root, name)).catch(() => undefined);
          return { name, createdAt: created?.birthtime ?? created?.mtime };
        }),
      );
    },

    async head(bucket, key, request) {
      const bucketPath = await existingBucket(bucket, request);
      return readHead(objectPath(bucketPath, key).file, bucket, key);
    },

    async get(bucket, key, request): Promise<StoredObject | null> {
      const bucketPath = await existingBucket(bucket, request);
      const { file } = objectPath(bucketPath, key);
      const handle = await openIfPresent(file);
      if (!handle) return null;
      try {
        const { header, dataOffset } = await readHeaderOf(handle, file, bucket, key);
        // The body owns the handle from here and closes it when read or abandoned.
        const body = fileChunks(
          handle,
          file,
          { start: dataOffset, end: dataOffset + header.size },
          (reason) => new DamagedObjectError(bucket, key, reason),
        );
        return { ...headOf(header), body };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async put(bucket, key, body, putOptions = {}) {
      const bucketPath = await existingBucket(bucket, putOptions);
      const target = objectPath(bucketPath, key);
      await markAsStore(bucketPath);
      const temp = join(bucketPath, TEMP_DIRECTORY, randomUUID());
      // Whatever happens below (a full disk, an abort, a lost condition) the temp file goes.
      try {
        await mkdir(join(bucketPath, TEMP_DIRECTORY), { recursive: true });
        const etag = await writeObjectFile(
          temp,
          {
            key,
            lastModified: new Date().toISOString(),
            contentType: putOptions.contentType ?? 'application/octet-stream',
            metadata: lowerCaseMetadataKeys(putOptions.metadata ?? {}),
          },
          body,
          putOptions.signal,
        ).catch((error: unknown) => {
          throw writeFailure(bucket, key, temp, error);
        });
        await retryWhileParentVanishes(target.directory, async () => {
          if (putOptions.onlyIfAbsent) {
            // link() fails when the name exists: an atomic create-if-absent.
            await link(temp, target.file).catch((error: unknown) => {
              if (codeOf(error) === 'EEXIST')
                throw new PreconditionFailedError(bucket, key, { cause: error });
              throw error;
            });
            return;
          }
          if (putOptions.ifMatch !== undefined) {
            const expected = putOptions.ifMatch;
            await withKeyLock(target.file + LOCK_SUFFIX, async () => {
              const current = await readHead(target.file, bucket, key).catch(() => null);
              if (current?.etag !== expected) throw new PreconditionFailedError(bucket, key);
              await rename(temp, target.file);
            });
            return;
          }
          await rename(temp, target.file);
        });
        return { etag };
      } finally {
        await unlink(temp).catch(() => undefined);
      }
    },

    async list(bucket, listOptions = {}): Promise<ListPage> {
      const bucketPath = await existingBucket(bucket, listOptions);
      const { prefix, startAfter } = resolveListPosition(listOptions);
      return buildListPage(objectsInOrder(bucket, bucketPath, '', prefix, startAfter), listOptions);
    },

    async delete(bucket, key, request) {
      const bucketPath = await existingBucket(bucket, request);
      const target = objectPath(bucketPath, key);
      const expected = request?.ifMatch;
      if (expected === undefined) await unlink(target.file).catch(ignoreMissing);
      else if ((await readHead(target.file, bucket, key).catch(() => null)) === null) {
        return; // gone already (its directory may be too, and the lock with it): as asked
      } else {
        // Under the key's lock, as a conditional PUT takes it: nothing replaces it meanwhile.
        await withKeyLock(target.file + LOCK_SUFFIX, async () => {
          const current = await readHead(target.file, bucket, key).catch(() => null);
          if (current && current.etag !== expected) throw new PreconditionFailedError(bucket, key);
          await unlink(target.file).catch(ignoreMissing);
        });
      }
      await removeEmptyDirectories(bucketPath, target.directory);
    },

    async deleteMany(bucket, keys, request) {
      const bucketPath = await existingBucket(bucket, request);
      const deleted: string[] = [];
      const failed: DeleteFailure[] = [];
      for (const key of keys) {
        try {
          const target = objectPath(bucketPath, key);
          await unlink(target.file).catch(ignoreMissing);
          await removeEmptyDirectories(bucketPath, target.directory);
          deleted.push(key);
        } catch (error) {
          if (!ObjectStoreError.isInstance(error)) throw error;
          failed.push({ key, code: error.code, message: error.message });
        }
      }
      return { deleted, failed };
    },
  };
}

/**
 * A write that failed for a reason of the disk's (full, read-only, gone) names the object and
 * the file; an abort stays an abort.
 */
function writeFailure(bucket: string, key: string, file: string, error: unknown): unknown {
  const code = codeOf(error);
  if (code === undefined || isAbortError(error)) return error;
  const reason = messageOf(error);
  return new StoreUnavailableError(`cannot store s3://${bucket}/${key} in ${file}: ${reason}`, {
    cause: error,
  });
}

/** The header of an object file, or `DamagedObjectError` naming the file. */
async function readHeaderOf(
  handle: FileHandle,
  file: string,
  bucket: string,
  key: string,
): Promise<{ header: ObjectFileHeader; dataOffset: number }> {
  try {
    return await readObjectFileHeader(handle);
  } catch (error) {
    const reason = messageOf(error);
    throw new DamagedObjectError(bucket, key, `${file} is not a readable object file (${reason})`, {
      cause: error,
    });
  }
}

/**
 * Refuses a bucket directory that holds files the tool did not write, unless it carries our
 * marker. Looks at up to `STORE_CHECK_ENTRIES` entries, breadth first, so an ordinary folder of
 * sub-folders is caught too; an empty directory is a new store.
 */
async function assertIsStore(directory: string, bucket: string): Promise<void> {
  const marker = await stat(join(directory, STORE_MARKER)).catch(() => undefined);
  if (marker) return;
  const pending = [directory];
  let seen = 0;
  while (pending.length > 0 && seen < STORE_CHECK_ENTRIES) {
    const current = pending.shift() as string;
    const entries = await readdir(current, { withFileTypes: true }).catch(ignoreMissing);
    for (const entry of entries ?? []) {
      seen++;
      if (entry.isDirectory()) {
        if (entry.name !== TEMP_DIRECTORY) pending.push(join(current, entry.name));
        continue;
      }
      if (isOurFile(entry.name)) continue;
      const example = relative(directory, join(current, entry.name));
      throw new NotAStoreError(
        bucket,
        `${directory} is not a DeltaGlider store: it holds files the tool did not write (${JSON.stringify(example)}); use an empty directory, or --adopt-directory to keep ours beside them`,
      );
    }
  }
}

function headOf(header: ObjectFileHeader): ObjectHead {
  return {
    key: header.key,
    size: header.size,
    etag: header.etag,
    lastModified: new Date(header.lastModified),
    contentType: header.contentType,
    metadata: header.metadata,
  };
}

async function openIfPresent(file: string) {
  return open(file, 'r').catch(ignoreMissing);
}

/** A concurrent delete may remove an empty parent between our mkdir and rename; redo both. */
async function retryWhileParentVanishes(
  directory: string,
  write: () => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(directory, { recursive: true });
    try {
      await write();
      return;
    } catch (error) {
      if (codeOf(error) !== 'ENOENT' || attempt >= 5) throw error;
    }
  }
}

function ignoreMissing(error: unknown): undefined {
  if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return undefined;
  throw error;
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}
