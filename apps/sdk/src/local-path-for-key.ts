import { isAbsolute, join, relative, resolve } from 'node:path';
import { UnsafeKeyError } from '@deltaglider/core';

/**
 * Where a key lands below a local directory, or `UnsafeKeyError` when it cannot land there
 * safely. `relativeKey` is the key with the listed prefix removed. A key is refused when any
 * segment is `.`, `..` or empty, when it is absolute-looking (`/x`, `C:x`), or when it holds a
 * backslash or NUL: written as a path, each could escape the destination or name another file.
 */
export function localPathForKey(
  destination: string,
  bucket: string,
  key: string,
  relativeKey: string,
): string {
  const refuse = (reason: string) => new UnsafeKeyError(bucket, key, reason);
  if (relativeKey.includes('\0')) throw refuse('the key holds a NUL character');
  if (relativeKey.includes('\\')) throw refuse('the key holds a backslash');
  if (relativeKey.startsWith('/') || /^[A-Za-z]:/.test(relativeKey))
    throw refuse('the key is an absolute path');
  const segments = relativeKey.split('/');
  if (segments.some((segment) => segment === '.' || segment === '..'))
    throw refuse('the key has a "." or ".." segment');
  if (segments.some((segment) => segment === ''))
    throw refuse('the key has an empty segment ("//")');
  const root = resolve(destination);
  const path = join(root, ...segments);
  const inside = relative(root, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
    throw refuse('the key would be written outside the destination');
  return path;
}
