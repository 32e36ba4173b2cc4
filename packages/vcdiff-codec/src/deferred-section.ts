import { ByteReader } from './byte-reader.js';

/** How a section's bytes come out: at once, or a piece at a time with pauses between. */
export interface SectionDecompression {
  now(): Uint8Array;
  paced(pause: () => Promise<void>): Promise<Uint8Array>;
}

/**
 * A window's data section, decompressed when it is first wanted rather than when its window is
 * read: the WebAssembly runner starts the window's reference reads first and decompresses while
 * they are in flight. Its decompressed length is known before.
 */
export class DeferredSection {
  private bytes: ByteReader | undefined;
  private decompressing = false;

  constructor(
    readonly length: number,
    private readonly decompression: SectionDecompression,
  ) {}

  /** A section stored as it is. */
  static plain(bytes: Uint8Array): DeferredSection {
    return new DeferredSection(bytes.length, { now: () => bytes, paced: async () => bytes });
  }

  /** Its reader, the section decompressed first if it is not yet. */
  reader(): ByteReader {
    if (!this.bytes) {
      // The stream it comes from goes section by section: never two decompressions at once.
      if (this.decompressing) throw new Error('a section was wanted while it decompresses');
      this.bytes = this.readerOf(this.decompression.now());
    }
    return this.bytes;
  }

  /** Its bytes, decompressed (if they are not yet) with `pause` between the pieces. */
  async paced(pause: () => Promise<void>): Promise<Uint8Array> {
    if (!this.bytes) {
      if (this.decompressing) throw new Error('a section was wanted while it decompresses');
      this.decompressing = true;
      try {
        this.bytes = this.readerOf(await this.decompression.paced(pause));
      } finally {
        this.decompressing = false;
      }
    }
    return this.bytes.rest();
  }

  private readerOf(bytes: Uint8Array): ByteReader {
    return new ByteReader(bytes, 0, bytes.length, 'data section');
  }
}
