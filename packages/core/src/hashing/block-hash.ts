import type { IncrementalHash } from './incremental-hash.js';

/**
 * The shared part of SHA-256 and MD5 (Merkle-Damgard over 64-byte blocks): buffering into
 * blocks, and the final padding with the message length in bits, big- or little-endian.
 */
export abstract class BlockHash implements IncrementalHash {
  private readonly block = new Uint8Array(64);
  private readonly blockView = new DataView(this.block.buffer);
  private filled = 0;
  private length = 0;
  private finished = false;

  protected abstract compress(block: DataView): void;
  protected abstract readonly bigEndian: boolean;
  protected abstract state(): Uint32Array;

  update(chunk: Uint8Array): void {
    if (this.finished) throw new Error('hash already digested');
    this.length += chunk.byteLength;
    let offset = 0;
    while (offset < chunk.byteLength) {
      const taken = Math.min(64 - this.filled, chunk.byteLength - offset);
      this.block.set(chunk.subarray(offset, offset + taken), this.filled);
      this.filled += taken;
      offset += taken;
      if (this.filled === 64) {
        this.compress(this.blockView);
        this.filled = 0;
      }
    }
  }

  digestHex(): string {
    const bits = this.length * 8;
    const padding = new Uint8Array((this.filled < 56 ? 56 : 120) - this.filled + 8);
    padding[0] = 0x80;
    const tail = new DataView(padding.buffer, padding.byteLength - 8);
    const high = Math.floor(bits / 2 ** 32);
    const low = bits >>> 0;
    if (this.bigEndian) {
      tail.setUint32(0, high);
      tail.setUint32(4, low);
    } else {
      tail.setUint32(0, low, true);
      tail.setUint32(4, high, true);
    }
    this.update(padding);
    this.finished = true;
    let hex = '';
    for (const word of this.state()) {
      const value = this.bigEndian ? word : swapBytes(word);
      hex += (value >>> 0).toString(16).padStart(8, '0');
    }
    return hex;
  }
}

function swapBytes(word: number): number {
  return ((word & 0xff) << 24) | ((word & 0xff00) << 8) | ((word >>> 8) & 0xff00) | (word >>> 24);
}
