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

/**
 * `segment`, except for the copies in `filled` (in window order): those were read from the
 * reference straight into the target, so running them again is skipped.
 */
export function prefilledSegment(
  segment: SourceSegment,
  filled: readonly { readonly here: number; readonly size: number }[],
): SourceSegment {
  let next = 0;
  return {
    length: segment.length,
    copyTo(target, here, address, size) {
      const copy = filled[next];
      if (copy !== undefined && copy.here === here && copy.size === size) next++;
      else segment.copyTo(target, here, address, size);
    },
  };
}
