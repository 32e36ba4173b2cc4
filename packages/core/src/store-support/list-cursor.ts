import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

// Cursors for stores that page by key: the last key (or common prefix) the page returned.
// Base64url keeps arbitrary key bytes safe inside URLs and shell arguments.

export function encodeListCursor(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

export function decodeListCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new InvalidArgumentError(`invalid list cursor ${JSON.stringify(cursor)}`);
  }
  return Buffer.from(cursor, 'base64url').toString('utf8');
}
