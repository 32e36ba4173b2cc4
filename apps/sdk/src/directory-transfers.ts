import {
  type DeltaDependencies,
  type DownloadResult,
  isAbortError,
  isDeltaCandidate,
  listUserObjects,
  type ObjectStore,
  refuseReservedKey,
  type UploadOptions,
  type UploadResult,
  uploadObject,
} from '@deltaglider/core';
import { localFile } from './file-transfer.js';
import { localPathForKey } from './local-path-for-key.js';
import { type SkippedPath, walkUploadTree } from './local-upload-tree.js';
import { runBounded } from './run-bounded.js';
import { DEFAULT_TRANSFER_CONCURRENCY } from './transfer-concurrency.js';

/** What a bulk transfer reports as it goes, one event per object. */
export type TransferEvent =
  | { readonly type: 'uploaded'; readonly path: string; readonly result: UploadResult }
  | {
      readonly type: 'downloaded';
      readonly path: string;
      readonly result: DownloadResult;
    }
  /** An upload's whole plan, before the first file starts: for progress displays. */
  | { readonly type: 'planned'; readonly files: number; readonly bytes: number }
  /** A dry run's file: what would be copied between `path` and `key`, and which way. */
  | {
      readonly type: 'dryrun';
      readonly direction: 'upload' | 'download';
      readonly path: string;
      readonly key: string;
    }
  | {
      readonly type: 'failed';
      readonly path?: string;
      readonly key: string;
      readonly error: unknown;
    }
  | {
      readonly type: 'skipped';
      readonly path?: string;
      readonly key?: string;
      readonly reason: string;
    };

export interface DirectoryTransferOptions {
  readonly signal?: AbortSignal | undefined;
  /** Files in flight at once. Default 8. */
  readonly concurrency?: number | undefined;
  /** Called as each object completes, fails or is skipped. */
  readonly onEvent?: ((event: TransferEvent) => void) | undefined;
  /**
   * Which files to copy, by their path below the directory or prefix (`--exclude`/`--include`,
   * see `keyFilter`); none: all of them.
   */
  readonly filter?: ((relativeKey: string) => boolean) | undefined;
  /** Reports each file as a `dryrun` event and copies nothing. */
  readonly dryRun?: boolean | undefined;
}

export interface DirectoryUploadOptions extends UploadOptions, DirectoryTransferOptions {
  /** Follow symlinks to files and directories, as `aws s3 cp` does. Default true. */
  readonly followSymlinks?: boolean | undefined;
}

export interface DirectoryTransferReport {
  readonly done: number;
  readonly failed: number;
  readonly skipped: number;
}

/**
 * Uploads every file below a local directory under `prefix`, keeping relative paths. Every
 * key is checked before the first upload (a reserved name rejects the whole call, nothing
 * written). Files then go `concurrency` at a time, except that a directory's first archive goes
 * alone: it may become the directory's reference, which the others are diffed against. A
 * failed file is reported and the rest continue.
 */
export async function uploadDirectory(
  dependencies: DeltaDependencies,
  localDirectory: string,
  bucket: string,
  prefix: string,
  options: DirectoryUploadOptions = {},
): Promise<DirectoryTransferReport> {
  const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  const tree = await walkUploadTree(localDirectory, {
    followSymlinks: options.followSymlinks,
  });
  const chosen = options.filter
    ? tree.files.filter((file) => options.filter?.(file.relativeKey))
    : tree.files;
  const keyed = chosen.map((file) => ({ ...file, key: base + file.relativeKey }));
  for (const { key } of keyed) refuseReservedKey(key);
  reportSkipped(tree.skipped, options);
  // Sizes for the plan. A file that cannot be read now fails alone, when its turn comes.
  const planned = await Promise.all(
    keyed.map(async (file) => ({
      ...file,
      source: await localFile(file.path).catch(() => undefined),
    })),
  );
  options.onEvent?.({
    type: 'planned',
    files: planned.length,
    bytes: planned.reduce((sum, { source }) => sum + (source?.size ?? 0), 0),
  });
  if (options.dryRun) {
    for (const { path, key } of planned)
      options.onEvent?.({ type: 'dryrun', direction: 'upload', path, key });
    return { done: 0, failed: 0, skipped: tree.skipped.length };
  }

  const uploadOptions = {
    maxRatio: options.maxRatio,
    signal: options.signal,
  };
  let done = 0;
  let failed = 0;
  const firstOfDirectory = new Map<string, Promise<void>>();
  await runBounded(
    planned,
    options.concurrency ?? DEFAULT_TRANSFER_CONCURRENCY,
    async ({ path, key, source }) => {
      // Only archives take part in deltas: other files never wait nor hold anyone up.
      const directory = key.slice(0, key.lastIndexOf('/') + 1);
      const gated = isDeltaCandidate(key.slice(directory.length));
      const first = gated ? firstOfDirectory.get(directory) : undefined;
      let release = () => {};
      if (first) await first;
      else if (gated)
        firstOfDirectory.set(directory, new Promise((resolve) => (release = resolve)));
      try {
        const file = source ?? (await localFile(path));
        const result = await uploadObject(dependencies, bucket, key, file, uploadOptions);
        done++;
        options.onEvent?.({ type: 'uploaded', path, result });
      } catch (error) {
        if (isAbortError(error) || options.signal?.aborted) throw error;
        failed++;
        options.onEvent?.({ type: 'failed', path, key, error });
      } finally {
        release();
      }
    },
  );
  return { done, failed, skipped: tree.skipped.length };
}

/**
 * Downloads every file under `prefix` into a local directory, keeping relative paths. Keys
 * that cannot be local paths (`..`, absolute, `\`, NUL) fail alone; folder markers (`dir/`)
 * are skipped; each file is verified and appears whole or not at all.
 */
export async function downloadDirectory(
  bucket: string,
  prefix: string,
  localDirectory: string,
  download: (key: string, path: string) => Promise<DownloadResult>,
  store: ObjectStore,
  options: DirectoryTransferOptions = {},
): Promise<DirectoryTransferReport> {
  const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  let done = 0;
  let failed = 0;
  let skipped = 0;
  const pages = listUserObjects(store, bucket, {
    prefix: base,
    recursive: true,
    signal: options.signal,
  });
  async function* objects() {
    for await (const page of pages) yield* page.objects;
  }
  await runBounded(
    objects(),
    options.concurrency ?? DEFAULT_TRANSFER_CONCURRENCY,
    async (object) => {
      const relativeKey = object.key.slice(base.length);
      if (options.filter && !options.filter(relativeKey)) return;
      if (object.key.endsWith('/')) {
        skipped++;
        options.onEvent?.({ type: 'skipped', key: object.key, reason: 'a folder marker' });
        return;
      }
      try {
        const path = localPathForKey(localDirectory, bucket, object.key, relativeKey);
        if (options.dryRun) {
          options.onEvent?.({ type: 'dryrun', direction: 'download', path, key: object.key });
          return;
        }
        const result = await download(object.key, path);
        done++;
        options.onEvent?.({ type: 'downloaded', path, result });
      } catch (error) {
        if (isAbortError(error) || options.signal?.aborted) throw error;
        failed++;
        options.onEvent?.({ type: 'failed', key: object.key, error });
      }
    },
  );
  return { done, failed, skipped };
}

function reportSkipped(skipped: readonly SkippedPath[], options: DirectoryTransferOptions): void {
  for (const { path, reason } of skipped) options.onEvent?.({ type: 'skipped', path, reason });
}
