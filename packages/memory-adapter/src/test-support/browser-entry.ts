// Bundled for the browser by runs-in-a-browser.test.ts: core, this adapter and the VCDIFF codec,
// with no Node built-in anywhere in the bundle.
import { getBucketStats, pureHashes } from '@deltaglider/core';
import { decodeVcdiff } from '@deltaglider/vcdiff-codec';
import { createMemoryObjectStore } from '../memory-object-store.js';

export interface BrowserObject {
  readonly key: string;
  readonly base64: string;
  readonly contentType: string;
  readonly metadata: Record<string, string>;
}

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));

// The page is not a secure context (no crypto.subtle): core's own hash, checked against the
// SHA-256 the Python tool recorded.
function sha256Hex(bytes: Uint8Array): string {
  const hash = pureHashes('sha256');
  hash.update(bytes);
  return hash.digestHex();
}

/** Loads a bucket into memory, computes its detailed stats and rebuilds one delta's original. */
export async function statsAndDecode(
  objects: readonly BrowserObject[],
  delta: { readonly key: string; readonly reference: string },
) {
  const store = createMemoryObjectStore({ buckets: ['fixture'] });
  for (const object of objects)
    await store.put('fixture', object.key, bytesOf(object.base64), {
      contentType: object.contentType,
      metadata: object.metadata,
    });
  const stats = await getBucketStats({ store }, 'fixture', { mode: 'detailed' });
  const byKey = new Map(objects.map((object) => [object.key, object]));
  const deltaObject = byKey.get(delta.key);
  const referenceObject = byKey.get(delta.reference);
  if (!deltaObject || !referenceObject) throw new Error('the delta or its reference is missing');
  const original = decodeVcdiff(bytesOf(referenceObject.base64), bytesOf(deltaObject.base64));
  return {
    stats,
    original: { size: original.byteLength, sha256: sha256Hex(original) },
    userAgent: (globalThis as { navigator?: { userAgent: string } }).navigator?.userAgent ?? '',
  };
}
