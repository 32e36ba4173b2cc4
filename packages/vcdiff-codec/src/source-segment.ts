/**
 * The reference bytes a window copies from (its source segment, RFC 3284 section 4.3), however
 * they are held: in one buffer, or in blocks read from the reference on demand.
 */
export interface SourceSegment {
  readonly length: number;
  /** Writes segment bytes `address`..`address + size` (within the segment) at `target[here]`. */
  copyTo(target: Uint8Array, here: number, address: number, size: number): void;
}

export function bytesSegment(bytes: Uint8Array): SourceSegment {
  return {
    length: bytes.length,
    copyTo(target, here, address, size) {
      target.set(bytes.subarray(address, address + size), here);
    },
  };
}
