import { CodecError } from './codec-error.js';
import { concatBytes } from './concat-bytes.js';

/**
 * Pulls bytes from a delta as it streams in: single bytes and varints for window headers, and
 * whole window encodings. Memory holds the window being read and at most what `readAhead` was
 * asked for, and only bytes that actually arrived (a forged length allocates nothing until the
 * bytes are there).
 */
export class AsyncByteReader {
  private readonly chunks: AsyncIterator<Uint8Array>;
  private current: Uint8Array = new Uint8Array(0);
  private offset = 0;
  private ended = false;
  /** Chunks pulled ahead of `current`, and their bytes. */
  private readonly ahead: Uint8Array[] = [];
  private aheadBytes = 0;
  /** The one pull of the stream in flight; a failed one leaves its error for `fill`. */
  private pulling: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;
  private closed = false;

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

  /**
   * Goes on pulling the stream, whenever the caller awaits something, until `bytes` wait ahead
   * of what it has taken: the next window's encoding arrives while this one runs (its chunks
   * came one event-loop turn after another once it was asked for: a tenth of a decode of many
   * windows).
   */
  readAhead(bytes: number): void {
    if (this.pulling || this.ended || this.failure || this.closed || this.aheadBytes >= bytes)
      return;
    this.pulling = this.pull().then(
      () => {
        this.pulling = undefined;
        this.readAhead(bytes);
      },
      (error: unknown) => {
        this.pulling = undefined;
        this.failure = { error };
      },
    );
  }

  /** Stops reading the stream early (a failed decode), letting its source clean up. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pulling;
    if (!this.ended) await this.chunks.return?.();
  }

  private async fill(): Promise<boolean> {
    while (this.offset >= this.current.length) {
      if (this.ahead.length === 0) {
        if (this.pulling) await this.pulling;
        else if (!this.ended && !this.failure) await this.pull();
      }
      if (this.failure) throw this.failure.error;
      const chunk = this.ahead.shift();
      if (!chunk) return false; // ended, every chunk taken
      this.aheadBytes -= chunk.length;
      this.current = chunk;
      this.offset = 0;
    }
    return true;
  }

  /** Pulls one chunk onto `ahead`, or marks the stream ended. */
  private async pull(): Promise<void> {
    const next = await this.chunks.next();
    if (next.done) this.ended = true;
    else {
      this.ahead.push(next.value);
      this.aheadBytes += next.value.length;
    }
  }
}

function truncated(): CodecError {
  return new CodecError('not a VCDIFF delta: it ends early');
}
