import { ByteReader } from './byte-reader.js';
import { CodecError } from './codec-error.js';
import { VCD_APPHEADER, VCD_CODETABLE, VCD_DECOMPRESS, VCDIFF_MAGIC } from './vcdiff-format.js';
import { readVcdiffHeader } from './vcdiff-header.js';

/** An application header longer than this is no xdelta3 delta's (`decodeVcdiffStream` refuses it). */
const MOST_APPHEADER_BYTES = 1 << 20;

/**
 * Whether this decoder reads a delta that begins with `head`, as far as its file header says:
 * false for one it refuses there (not VCDIFF, xdelta3's DJW or FGK secondary compression, a code
 * table of its own, files xdelta3 decompressed before encoding), undefined while `head` ends
 * before the header does. A caller with the xdelta3 program at hand gives it what this refuses.
 */
export function readsDeltaHeader(head: Uint8Array): boolean | undefined {
  const length = headerLength(head);
  if (length === undefined) return undefined;
  if (length === 'too long') return false;
  try {
    readVcdiffHeader(new ByteReader(head, 0, length, 'header'));
    return true;
  } catch (error) {
    if (error instanceof CodecError) return false;
    throw error;
  }
}

/**
 * How many bytes of `head` the file header takes, or as many as show it is no header this
 * decoder reads; undefined while `head` ends first.
 */
function headerLength(head: Uint8Array): number | 'too long' | undefined {
  if (VCDIFF_MAGIC.some((byte, at) => at < head.length && head[at] !== byte)) return head.length;
  if (head.length < 5) return undefined;
  const indicator = head[4]!;
  const fixed = indicator & VCD_DECOMPRESS ? 6 : 5;
  // A code table of its own is refused before anything after it is read.
  if (!(indicator & VCD_APPHEADER) || indicator & VCD_CODETABLE)
    return head.length >= fixed ? fixed : undefined;
  let length = 0;
  for (let at = fixed; at < head.length && at < fixed + 5; at++) {
    length = length * 128 + (head[at]! & 0x7f);
    if (head[at]! & 0x80) continue;
    if (length > MOST_APPHEADER_BYTES) return 'too long';
    const end = at + 1 + length;
    return head.length >= end ? end : undefined;
  }
  return head.length >= fixed + 5 ? 'too long' : undefined;
}
