import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface LocalFile {
  /** The path to read. */
  readonly path: string;
  /** The path below the walked directory, with `/` separators: the key's tail. */
  readonly relativeKey: string;
}

export interface SkippedPath {
  readonly path: string;
  readonly reason: string;
}

export interface LocalUploadTree {
  /** Regular files (symlinks to files too, when followed), in key order. */
  readonly files: readonly LocalFile[];
  readonly skipped: readonly SkippedPath[];
}

/** Our own temp files (atomic downloads write `.<name>.<uuid>.dg-tmp`): never user data. */
export const TEMP_FILE_SUFFIX = '.dg-tmp';

/**
 * The files below a directory that `cp -r` uploads. Like `aws s3 cp`, symlinks are followed
 * (to files and to directories, each real directory once, so loops end) unless
 * `followSymlinks` is false. Dangling links, FIFOs, sockets and devices are skipped and
 * reported, as are our own `*.dg-tmp` files left by an interrupted download.
 */
export async function walkUploadTree(
  root: string,
  options: { followSymlinks?: boolean | undefined } = {},
): Promise<LocalUploadTree> {
  const followSymlinks = options.followSymlinks ?? true;
  const files: LocalFile[] = [];
  const skipped: SkippedPath[] = [];
  const visited = new Set<string>([await realpath(root)]);

  const visit = async (directory: string): Promise<void> => {
    const entries: Dirent[] = await readdir(directory, { withFileTypes: true });
    for (const entry of entries) {
      const path = join(directory, entry.name);
      const kind = await kindOf(entry, path, followSymlinks);
      if (kind === 'file') {
        if (entry.name.endsWith(TEMP_FILE_SUFFIX))
          skipped.push({ path, reason: 'an unfinished download (*.dg-tmp)' });
        else files.push({ path, relativeKey: relative(root, path).split(sep).join('/') });
      } else if (kind === 'directory') {
        const real = await realpath(path);
        if (visited.has(real)) {
          skipped.push({ path, reason: 'a symlink to a directory already copied (a loop)' });
          continue;
        }
        visited.add(real);
        await visit(path);
      } else {
        skipped.push({ path, reason: kind });
      }
    }
  };
  await visit(root);
  files.sort((a, b) =>
    a.relativeKey < b.relativeKey ? -1 : a.relativeKey > b.relativeKey ? 1 : 0,
  );
  return { files, skipped };
}

async function kindOf(
  entry: Dirent,
  path: string,
  followSymlinks: boolean,
): Promise<'file' | 'directory' | string> {
  if (entry.isSymbolicLink()) {
    if (!followSymlinks) return 'a symlink (--no-follow-symlinks)';
    const target = await stat(path).catch(() => undefined);
    if (!target) return 'a dangling symlink';
    if (target.isFile()) return 'file';
    if (target.isDirectory()) return 'directory';
    return 'a symlink to a special file';
  }
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  return 'a device or special file';
}
