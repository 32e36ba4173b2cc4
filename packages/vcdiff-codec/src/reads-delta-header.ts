import { ByteReader } from './byte-reader.js';
import { CodecError } from './codec-error.js';
import { VCD_APPHEADER, VCD_CODETABLE, VCD_DECOMPRESS, VCDIFF_MAGIC } from './vcdiff-format.js';
import { MOST_APPHEADER_BYTES, readVcdiffHeader } from './vcdiff-header.js';

/**
 * Whether this decoder reads a delta that begins with `head`, as far as its file header says:
 * false for one it refuses there (not VCDIFF, xdelta3's DJW or FGK secondary compression, a code
 * table of its own, files xdelta3 decompressed before encoding), undefined while `head` ends
 * before the header does. A caller with the xdelta3 program at hand gives it what this refuses.
 */
export function readsDeltaHeader(head: Uint8Array): boolean | undefined {
  const length = headerLength(head);
  if (length === undefined) return undefined;
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
 * decoder reads (`readVcdiffHeader` refuses them); undefined while `head` ends first.
 */
function headerLength(head: Uint8Array): number | undefined {
  if (VCDIFF_MAGIC.some((byte, at) => at < head.length && head[at] !== byte)) return head.length;
  if (head.length < 5) return undefined;
  const indicator = head[4]!;
  const fixed = indicator & VCD_DECOMPRESS ? 6 : 5;
  // A code table of its own is refused before anything after it is read.
  if (!(indicator & VCD_APPHEADER) || indicator & VCD_CODETABLE)
    return head.length >= fixed ? fixed : undefined;
  let length = 0;
  for (let at = fixed; at < head.length; at++) {
    length = length * 128 + (head[at]! & 0x7f);
    // Past the limit, the application header's length alone has it refused.
    if (length > MOST_APPHEADER_BYTES) return at + 1;
    if (head[at]! & 0x80) continue;
    const end = at + 1 + length;
    return head.length >= end ? end : undefined;
  }
  return undefined;
}
