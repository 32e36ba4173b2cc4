import { ByteWriter } from '../byte-writer.js';
import type { LzmaEffort } from '../lzma/lzma2-encoder.js';
import { XzSectionWriter } from '../lzma/xz-section-writer.js';

/**
 * Sections shorter than this stay plain: the chunk header and the range coder's five bytes
 * would cost more than LZMA saves. They never enter the stream, so the decoder's stream and
 * ours stay in step (xdelta3 itself drops compressed sections that did not shrink, which the
 * stream cannot take back).
 */
const MIN_COMPRESSED_SECTION = 64;

/** A section as written: compressed (a varint of its plain size, then LZMA2 chunks) or plain. */
export interface WrittenSection {
  readonly bytes: Uint8Array;
  readonly compressed: boolean;
}

/**
 * xdelta3's LZMA secondary compression (its `-S lzma`, on by default): the data, instruction
 * and address sections of every window each go through their own xz stream, which carries its
 * dictionary and model from window to window.
 */
export class SecondaryCompression {
  private readonly streams: readonly [XzSectionWriter, XzSectionWriter, XzSectionWriter];

  /**
   * `targetSize` bounds what any stream will carry (no section outgrows the file it encodes),
   * so no dictionary is declared, or allocated, bigger than that: a 50 KB file does not take
   * 50 MB of match tables, and its decoders hold no more than it.
   */
  constructor(data: LzmaEffort, other: LzmaEffort, targetSize: number) {
    this.streams = [
      new XzSectionWriter(fitted(data, targetSize)),
      new XzSectionWriter(fitted(other, targetSize)),
      new XzSectionWriter(fitted(other, targetSize)),
    ];
  }

  /** Section 0 is data, 1 instructions, 2 addresses. */
  section(index: 0 | 1 | 2, plain: Uint8Array): WrittenSection {
    if (plain.length < MIN_COMPRESSED_SECTION || looksRandom(plain))
      return { bytes: plain, compressed: false };
    const packed = this.streams[index].section(plain);
    const section = new ByteWriter(packed.length + 8);
    section.varint(plain.length);
    section.bytes(packed);
    return { bytes: section.view(), compressed: true };
  }
}

/** The smallest dictionary worth declaring: 64 KiB (xz's own floor is 4 KiB). */
const MIN_DICTIONARY = 64 * 1024;

function fitted(effort: LzmaEffort, targetSize: number): LzmaEffort {
  const needed = 2 ** Math.ceil(Math.log2(Math.max(MIN_DICTIONARY, targetSize)));
  return needed >= effort.dictionarySize ? effort : { ...effort, dictionarySize: needed };
}

/** Bytes sampled to judge a section, from its start, middle and end. */
const SAMPLE = 64 * 1024;

/**
 * Whether a section looks incompressible (new bytes of a compressed archive): its bytes nearly
 * uniformly spread, 7.9 bits of order-0 entropy per byte or more. LZMA would only add its
 * framing, and once a section is in the stream it cannot be taken back, so such sections are
 * judged before and written plain (the 1 GB archive bench: otherwise a few hundred bytes more
 * than xdelta3 -9).
 */
export function looksRandom(bytes: Uint8Array): boolean {
  const counts = new Uint32Array(256);
  const parts =
    bytes.length <= 3 * SAMPLE
      ? [bytes]
      : [
          bytes.subarray(0, SAMPLE),
          bytes.subarray((bytes.length - SAMPLE) >>> 1, (bytes.length + SAMPLE) >>> 1),
          bytes.subarray(bytes.length - SAMPLE),
        ];
  let total = 0;
  for (const part of parts) {
    for (let index = 0; index < part.length; index++) counts[part[index]!]!++;
    total += part.length;
  }
  // Too short to judge by its spread: 64-4096 bytes cannot reach 7.9 bits, so it is tried.
  if (total < 4096) return false;
  let entropy = 0;
  for (const count of counts) if (count > 0) entropy -= (count / total) * Math.log2(count / total);
  return entropy >= 7.9;
}
