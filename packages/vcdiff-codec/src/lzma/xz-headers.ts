import { CodecError } from '../codec-error.js';
import { crc32 } from './crc32.js';

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] as const;
export const STREAM_HEADER_SIZE = 12;
const LZMA2_FILTER_ID = 0x21;

function readUint32LE(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0
  );
}

/** Checks an .xz stream header (magic, flags, CRC-32); any integrity check type is accepted. */
export function checkStreamHeader(header: Uint8Array): void {
  if (XZ_MAGIC.some((byte, index) => header[index] !== byte))
    throw new CodecError('damaged secondary compression: not an xz stream');
  if (header[6] !== 0 || (header[7]! & 0xf0) !== 0)
    throw new CodecError('damaged secondary compression: unknown xz stream flags');
  if (crc32(header.subarray(6, 8)) !== readUint32LE(header, 8))
    throw new CodecError('damaged secondary compression: the xz stream header fails its CRC');
}

/** An .xz block header's size from its first byte, which is 0 where an index starts instead. */
export function blockHeaderSize(firstByte: number): number {
  if (firstByte === 0)
    throw new CodecError('damaged secondary compression: the xz stream ends where data is due');
  return (firstByte + 1) * 4;
}

/**
 * Reads an .xz block header that must hold exactly one filter, LZMA2, and returns that filter's
 * dictionary size.
 */
export function readBlockHeader(header: Uint8Array): number {
  const size = header.length;
  if (crc32(header.subarray(0, size - 4)) !== readUint32LE(header, size - 4))
    throw new CodecError('damaged secondary compression: an xz block header fails its CRC');
  const flags = header[1]!;
  if ((flags & 0x3c) !== 0 || (flags & 0x03) !== 0)
    throw new CodecError('secondary compression with filters other than LZMA2 alone is not read');
  let at = 2;
  const varint = () => {
    let value = 0;
    for (let shift = 0; shift < 63; shift += 7) {
      if (at >= size - 4) break;
      const byte = header[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new CodecError('damaged secondary compression: a bad number in an xz block header');
  };
  if (flags & 0x40) varint(); // compressed size
  if (flags & 0x80) varint(); // uncompressed size
  if (varint() !== LZMA2_FILTER_ID || varint() !== 1)
    throw new CodecError('secondary compression with filters other than LZMA2 alone is not read');
  return dictionarySize(header[at]!);
}

/** LZMA2's one-byte dictionary size: 2 or 3 times a power of two, from 4 KiB. */
function dictionarySize(byte: number): number {
  if (byte > 40) throw new CodecError('damaged secondary compression: bad LZMA2 dictionary size');
  if (byte === 40) return 0xffffffff;
  return (2 | (byte & 1)) * 2 ** (Math.floor(byte / 2) + 11);
}
