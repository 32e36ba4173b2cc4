import { InvalidKeyError } from '@deltaglider/core';

// On-disk names. A key's segments become directories and a final object file. Names are
// percent-encoded (ASCII punctuation only) so they never contain `~`, which leaves `~` free
// for our own suffixes: no user key can ever land on a metadata, lock or temp file, nor an
// object on a directory.

/** Suffix of a file holding one object (header + bytes). */
export const OBJECT_SUFFIX = '~o';
/** Suffix of the lock file that serialises `ifMatch` writes to one key. */
export const LOCK_SUFFIX = '~lock';
/** Directory, inside a bucket, of files being written. */
export const TEMP_DIRECTORY = '~tmp';
/** An empty segment (`a//b`, or a key ending in `/`) as a directory name. */
const EMPTY_SEGMENT = '~';

// Most file systems limit a name to 255 bytes; keep room for our suffixes.
const MAX_NAME_BYTES = 240;

const plainAscii = /[A-Za-z0-9._-]/;

/**
 * ASCII outside `[A-Za-z0-9._-]` becomes `%XX` (so `/`, `~`, `%`, control characters and
 * Windows-reserved punctuation never reach a file name); other characters stay as they are,
 * so a non-ASCII name costs its UTF-8 bytes, not three times as many.
 */
export function encodeSegment(segment: string): string {
  if (segment === '') return EMPTY_SEGMENT;
  let encoded = '';
  for (const char of segment) {
    const code = char.codePointAt(0)!;
    encoded +=
      code >= 0x80 || plainAscii.test(char)
        ? char
        : `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

export function decodeSegment(name: string): string {
  if (name === EMPTY_SEGMENT) return '';
  return name.replace(/%([0-9A-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** The encoded path segments of a key: directories, then the object file's name. */
export function keyToNames(key: string): { directories: string[]; file: string } {
  if (key === '') throw new InvalidKeyError(key, 'a key must not be empty');
  if (key.includes('\0'))
    throw new InvalidKeyError(key, 'NUL bytes cannot be stored in a directory');
  if (key.startsWith('/')) throw new InvalidKeyError(key, 'absolute paths would escape the store');
  const segments = key.split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    throw new InvalidKeyError(key, '"." and ".." segments would escape the store');
  }
  const names = segments.map(encodeSegment);
  if (names.some((name) => Buffer.byteLength(name) > MAX_NAME_BYTES)) {
    throw new InvalidKeyError(
      key,
      `a path segment is longer than ${MAX_NAME_BYTES} bytes once encoded`,
    );
  }
  const file = `${names.pop()!}${OBJECT_SUFFIX}`;
  return { directories: names, file };
}

/** What a directory entry is, or undefined for our own temp and lock files. */
export function classifyEntry(
  name: string,
  isDirectory: boolean,
): { kind: 'object' | 'directory'; segment: string } | undefined {
  if (isDirectory) {
    if (name === TEMP_DIRECTORY) return undefined;
    return { kind: 'directory', segment: decodeSegment(name) };
  }
  if (!name.endsWith(OBJECT_SUFFIX)) return undefined;
  return { kind: 'object', segment: decodeSegment(name.slice(0, -OBJECT_SUFFIX.length)) };
}

/** Written into a bucket directory by the tool: it is a store, whatever else it holds. */
export const STORE_MARKER = '~deltaglider-store';

/** Whether a file in a bucket directory is one the store writes (objects, locks, its marker). */
export function isOurFile(name: string): boolean {
  return name.endsWith(OBJECT_SUFFIX) || name.endsWith(LOCK_SUFFIX) || name === STORE_MARKER;
}
