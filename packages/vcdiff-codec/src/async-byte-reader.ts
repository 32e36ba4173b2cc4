import { CodecError } from './codec-error.js';
import { concatBytes } from './concat-bytes.js';

/**
 * Pulls bytes from a delta as it streams in: single bytes and varints for window headers, and
 * whole window encodings. Memory holds at most the window being read, and only bytes that
 * actually arrived (a forged length allocates nothing until the bytes are there).
 */
export class AsyncByteReader {
  private readonly chunks: AsyncIterator<Uint8Array>;
  private current: Uint8Array = new Uint8Array(0);
  private offset = 0;
  private ended = false;

  constructor(stream: AsyncIterable<Uint8Array>) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  /** True once the stream has no more bytes. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill());
  }

  async byte(): Promise<number> {
    if (!(await this.fill())) throw truncated();
    return this.current[this.offset++]!;
  }

  async varint(): Promise<number> {
    let value = 0;
    for (let digits = 0; digits < 8; digits++) {
      const byte = await this.byte();
      value = value * 128 + (byte & 0x7f);
      if (value > Number.MAX_SAFE_INTEGER) break;
      if ((byte & 0x80) === 0) return value;
    }
    throw new CodecError('not a VCDIFF delta: an integer in a window header is too large');
  }

  async take(length: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let wanted = length;
    while (wanted > 0) {
      if (!(await this.fill())) throw truncated();
      const part = this.current.subarray(this.offset, this.offset + wanted);
      this.offset += part.length;
      wanted -= part.length;
      parts.push(part);
    }
    return concatBytes(parts);
  }

  /** Stops reading the stream early (a failed decode), letting its source clean up. */
  async close(): Promise<void> {
    if (!this.ended) await this.chunks.return?.();
  }

  private async fill(): Promise<boolean> {
    while (this.offset >= this.current.length) {
      if (this.ended) return false;
      const next = await this.chunks.next();
      if (next.done) {
        this.ended = true;
        return false;
      }
      this.current = next.value;
      this.offset = 0;
    }
    return true;
  }
}

function truncated(): CodecError {
  return new CodecError('not a VCDIFF delta: it ends early');
}
