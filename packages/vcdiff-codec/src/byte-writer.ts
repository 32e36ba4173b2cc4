/** A growable byte buffer with RFC 3284 varints: where a window's sections are written. */
export class ByteWriter {
  private buffer: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buffer = new Uint8Array(capacity);
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /** Base-128, most significant digit first, the continuation bit on every digit but the last. */
  varint(value: number): void {
    let digits = 1;
    while (value >= 128 ** digits) digits++;
    this.reserve(digits);
    for (let digit = digits - 1; digit >= 0; digit--) {
      const part = Math.floor(value / 128 ** digit) % 128;
      this.buffer[this.length++] = digit === 0 ? part : part | 0x80;
    }
  }

  bytes(values: Uint8Array): void {
    this.reserve(values.length);
    this.buffer.set(values, this.length);
    this.length += values.length;
  }

  uint32(value: number): void {
    this.reserve(4);
    new DataView(this.buffer.buffer, this.buffer.byteOffset).setUint32(this.length, value);
    this.length += 4;
  }

  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(count: number): void {
    if (this.length + count <= this.buffer.length) return;
    // At least 64: a writer made with capacity 0 (a window of under 16 bytes) must still grow.
    let size = Math.max(64, this.buffer.length * 2);
    while (size < this.length + count) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

/** How many bytes `value` takes as a varint. */
export function varintLength(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  let digits = 5;
  while (value >= 128 ** digits) digits++;
  return digits;
}
