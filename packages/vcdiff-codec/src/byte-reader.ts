import { CodecError } from './codec-error.js';
import { copyBytes } from './copy-bytes.js';

/** Reads a section of a delta: bytes and RFC 3284 varints, refusing to run past its end. */
export class ByteReader {
  position: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
    private readonly section = 'delta',
  ) {
    this.position = start;
  }

  /** A second reader over the same bytes from the same position, moving on its own. */
  clone(): ByteReader {
    return new ByteReader(this.bytes, this.position, this.end, this.section);
  }

  /** The bytes not read yet (a view, not a copy). */
  rest(): Uint8Array {
    return this.bytes.subarray(this.position, this.end);
  }

  /** Moves past `length` bytes without looking at them. */
  skip(length: number): void {
    if (length > this.end - this.position) throw this.truncated();
    this.position += length;
  }

  get done(): boolean {
    return this.position >= this.end;
  }

  byte(): number {
    if (this.position >= this.end) throw this.truncated();
    return this.bytes[this.position++]!;
  }

  /** A base-128 integer, most significant digit first, at most 2^53 - 1. */
  varint(): number {
    let value = 0;
    for (let digits = 0; digits < 8; digits++) {
      const byte = this.byte();
      value = value * 128 + (byte & 0x7f);
      if (value > Number.MAX_SAFE_INTEGER) break;
      if ((byte & 0x80) === 0) return value;
    }
    throw new CodecError(`not a VCDIFF delta: an integer in the ${this.section} is too large`);
  }

  take(length: number): Uint8Array {
    if (length > this.end - this.position) throw this.truncated();
    const slice = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return slice;
  }

  /** Copies the next `length` bytes into `target` at `at`. */
  copyTo(target: Uint8Array, at: number, length: number): void {
    if (length > this.end - this.position) throw this.truncated();
    copyBytes(this.bytes, this.position, target, at, length);
    this.position += length;
  }

  private truncated(): CodecError {
    return new CodecError(`not a VCDIFF delta: the ${this.section} ends early`);
  }
}
