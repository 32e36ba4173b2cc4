import { concatBytes } from '../concat-bytes.js';
import { crc32 } from './crc32.js';
import { Lzma2Encoder, type LzmaEffort } from './lzma2-encoder.js';

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
/** Stream flags naming CRC-32 as the check, as xdelta3 writes (the stream never ends, so no check is ever written). */
const STREAM_FLAGS = [0x00, 0x01];
const LZMA2_FILTER_ID = 0x21;

/**
 * The writing side of `XzSectionStream`: one xz stream with an LZMA2 filter, fed section after
 * section and sync-flushed after each, never finished, as xdelta3 writes its secondary
 * compression. The first section carries the stream and block headers.
 */
export class XzSectionWriter {
  private readonly encoder: Lzma2Encoder;
  private started = false;

  constructor(private readonly effort: LzmaEffort) {
    this.encoder = new Lzma2Encoder(effort);
  }

  /** The compressed bytes of the next section (which decode to exactly `input`). */
  section(input: Uint8Array): Uint8Array {
    const parts = this.started ? [] : [streamHeader(), blockHeader(this.effort.dictionarySize)];
    this.started = true;
    parts.push(...this.encoder.section(input));
    return concatBytes(parts);
  }
}

function streamHeader(): Uint8Array {
  const header = new Uint8Array(12);
  header.set(XZ_MAGIC);
  header.set(STREAM_FLAGS, 6);
  new DataView(header.buffer).setUint32(8, crc32(header.subarray(6, 8)), true);
  return header;
}

/** A 12-byte block header: no sizes, one filter (LZMA2 with its dictionary size), padding, CRC-32. */
function blockHeader(dictionarySize: number): Uint8Array {
  const header = new Uint8Array(12);
  header[0] = header.length / 4 - 1;
  header[1] = 0x00; // one filter, no compressed or uncompressed size
  header[2] = LZMA2_FILTER_ID;
  header[3] = 1; // the filter's properties: one byte
  header[4] = 2 * (Math.log2(dictionarySize) - 12); // 2^n bytes, n from 12
  new DataView(header.buffer).setUint32(8, crc32(header.subarray(0, 8)), true);
  return header;
}
