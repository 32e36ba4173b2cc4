import { CodecError } from '../codec-error.js';

/**
 * LZMA's sliding dictionary: the last `limit` bytes decoded, which matches copy from. It grows
 * with what was decoded (a stream that declares a 64 MiB dictionary but carries 20 KB uses
 * 20 KB), and wraps around once it reaches its limit.
 */
export class Dictionary {
  private buffer = new Uint8Array(1 << 16);
  private position = 0;
  /**
   * Bytes decoded since the last reset (LZMA's position, for literal and position states). Of
   * them, min(total, buffer length) are still held: the buffer only wraps once it is full size.
   */
  total = 0;

  constructor(private readonly limit: number) {}

  reset(): void {
    this.position = 0;
    this.total = 0;
  }

  /**
   * Makes room for `count` more bytes without losing any the limit says to keep. Below its
   * limit the buffer is never filled to the end: it would wrap to its start there, and a
   * later growth (which keeps bytes up to the position) would lose everything before it.
   */
  reserve(count: number): void {
    if (this.buffer.length >= this.limit || this.position + count < this.buffer.length) return;
    let size = this.buffer.length;
    while (size <= this.position + count && size < this.limit) size *= 2;
    const grown = new Uint8Array(Math.min(size, this.limit));
    grown.set(this.buffer.subarray(0, this.position));
    this.buffer = grown;
  }

  /** The byte `distance + 1` back, 0 before the first byte (as LZMA defines it). */
  back(distance: number): number {
    if (distance >= this.total || distance >= this.buffer.length) return 0;
    const index = this.position - distance - 1;
    return this.buffer[index < 0 ? index + this.buffer.length : index]!;
  }

  put(byte: number): void {
    this.buffer[this.position++] = byte;
    if (this.position === this.buffer.length) this.position = 0;
    this.total++;
  }

  /** Repeats `length` bytes from `distance + 1` back (they may overlap what it writes). */
  copyMatch(distance: number, length: number): void {
    const { buffer } = this;
    const size = buffer.length;
    if (distance >= this.total || distance >= size)
      throw new CodecError('damaged LZMA data: a match reaches before the start of the data');
    let position = this.position;
    let from = position - distance - 1;
    if (from < 0) from += size;
    if (length <= size - position && length <= size - from) {
      // Neither end wraps (nearly always): a plain forward copy, overlap and all.
      for (let index = 0; index < length; index++) buffer[position + index] = buffer[from + index]!;
      position += length;
      if (position === size) position = 0;
    } else
      for (let left = length; left > 0; left--) {
        buffer[position++] = buffer[from++]!;
        if (position === size) position = 0;
        if (from === size) from = 0;
      }
    this.position = position;
    this.total += length;
  }

  putAll(bytes: Uint8Array): void {
    for (const byte of bytes) this.put(byte);
  }

  /** The last `count` bytes written (count at most the buffer's size), as a copy. */
  last(count: number): Uint8Array {
    return lastOfRing(this.buffer, this.position, count);
  }
}

/**
 * A copy of the `count` bytes before `position` in `ring`, a buffer written round and round
 * (count at most its length): an LZMA dictionary's newest bytes, in TypeScript's or in
 * WebAssembly's memory.
 */
export function lastOfRing(ring: Uint8Array, position: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  const start = position - count;
  if (start >= 0) out.set(ring.subarray(start, position));
  else {
    out.set(ring.subarray(start + ring.length));
    out.set(ring.subarray(0, position), -start);
  }
  return out;
}
