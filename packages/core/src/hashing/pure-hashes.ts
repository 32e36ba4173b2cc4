import type { HashFactory } from './incremental-hash.js';
import { Md5 } from './md5.js';
import { Sha256 } from './sha256.js';

/** Core's default hashes: pure TypeScript, the same digests as Node's crypto module. */
export const pureHashes: HashFactory = (algorithm) =>
  algorithm === 'sha256' ? new Sha256() : new Md5();

const encoder = new TextEncoder();

/** The SHA-256 of a short text (cache key names), hex. */
export function sha256OfText(text: string): string {
  const hash = new Sha256();
  hash.update(encoder.encode(text));
  return hash.digestHex();
}
