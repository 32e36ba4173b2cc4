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

/**
 * The same, read by position as well, as a local file is (`readInto`), its reads ending without
 * waiting for a turn of the event loop.
 */
export function seekableBytesSource(bytes: Uint8Array): ByteSource {
  return {
    ...bytesSource(bytes),
    async readInto(into, at, range) {
      into.set(bytes.subarray(range.start, range.end), at);
    },
  };
}
