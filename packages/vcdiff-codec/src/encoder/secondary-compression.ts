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

  constructor(data: LzmaEffort, other: LzmaEffort) {
    this.streams = [
      new XzSectionWriter(data),
      new XzSectionWriter(other),
      new XzSectionWriter(other),
    ];
  }

  /** Section 0 is data, 1 instructions, 2 addresses. */
  section(index: 0 | 1 | 2, plain: Uint8Array): WrittenSection {
    if (plain.length < MIN_COMPRESSED_SECTION) return { bytes: plain, compressed: false };
    const packed = this.streams[index].section(plain);
    const section = new ByteWriter(packed.length + 8);
    section.varint(plain.length);
    section.bytes(packed);
    return { bytes: section.view(), compressed: true };
  }
}
