import {
  type DeltaDependencies,
  type DownloadResult,
  isAbortError,
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

/** What a bulk transfer reports as it goes, one event per object. */
export type TransferEvent =
  | { readonly type: 'uploaded'; readonly path: string; readonly result: UploadResult }
  | {
      readonly type: 'downloaded';
      readonly path: string;
      readonly result: Omit<DownloadResult, 'bytes'>;
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
  /** Called as each object completes, fails or is skipped. */
  readonly onEvent?: ((event: TransferEvent) => void) | undefined;
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
 * written); then files go one at a time, so a directory's first archive becomes its reference
 * before the next is diffed. A failed file is reported and the rest continue.
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
    ...(options.followSymlinks === undefined ? {} : { followSymlinks: options.followSymlinks }),
  });
  const planned = tree.files.map((file) => ({ ...file, key: base + file.relativeKey }));
  for (const { key } of planned) refuseReservedKey(key);
  reportSkipped(tree.skipped, options);

  const uploadOptions = {
    ...(options.maxRatio === undefined ? {} : { maxRatio: options.maxRatio }),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let done = 0;
  let failed = 0;
  for (const { path, key } of planned) {
    try {
      const result = await uploadObject(
        dependencies,
        bucket,
        key,
        await localFile(path),
        uploadOptions,
      );
      done++;
      options.onEvent?.({ type: 'uploaded', path, result });
    } catch (error) {
      if (isAbortError(error) || options.signal?.aborted) throw error;
      failed++;
      options.onEvent?.({ type: 'failed', path, key, error });
    }
  }
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
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for await (const page of pages) {
    for (const object of page.objects) {
      if (object.key.endsWith('/')) {
        skipped++;
        options.onEvent?.({ type: 'skipped', key: object.key, reason: 'a folder marker' });
        continue;
      }
      try {
        const path = localPathForKey(
          localDirectory,
          bucket,
          object.key,
          object.key.slice(base.length),
        );
        const result = await download(object.key, path);
        done++;
        options.onEvent?.({ type: 'downloaded', path, result });
      } catch (error) {
        if (isAbortError(error) || options.signal?.aborted) throw error;
        failed++;
        options.onEvent?.({ type: 'failed', key: object.key, error });
      }
    }
  }
  return { done, failed, skipped };
}

function reportSkipped(skipped: readonly SkippedPath[], options: DirectoryTransferOptions): void {
  for (const { path, reason } of skipped) options.onEvent?.({ type: 'skipped', path, reason });
}
