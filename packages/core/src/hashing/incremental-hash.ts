/** A hash fed chunk by chunk, as bodies stream by. */
export interface IncrementalHash {
  /** Takes `chunk` in before it returns: its memory may hold other bytes afterwards. */
  update(chunk: Uint8Array): void;
  /** Lower-case hex. The hash takes no more updates afterwards. */
  digestHex(): string;
}

export type HashAlgorithm = 'sha256' | 'md5';

/**
 * Makes hashes. Core's default is pure TypeScript, so it runs anywhere (a browser, a Worker,
 * Deno); the SDK passes Node's native hashes, several times faster on large files.
 */
export type HashFactory = (algorithm: HashAlgorithm) => IncrementalHash;
