import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

// Cursors for stores that page by key: the last key (or common prefix) the page returned.
// Base64url (unpadded) keeps arbitrary key bytes safe inside URLs and shell arguments. btoa and
// atob exist in every runtime core supports, where Buffer is Node's alone.

export function encodeListCursor(lastKey: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(lastKey)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeListCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || cursor.length % 4 === 1) {
    throw new InvalidArgumentError(`invalid list cursor ${JSON.stringify(cursor)}`);
  }
  const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}
