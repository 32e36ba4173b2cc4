import type { ByteSource } from '../byte-source.js';

/** Bytes in memory as a source the codec reads by range. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    async *read(range) {
      yield bytes.subarray(range?.start ?? 0, range?.end ?? bytes.byteLength);
    },
  };
}
