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
 * `segment`, except where `filled` (in window order, `start` their reference offsets) was read
 * from the reference straight into the target: a copy inside one of them that reads what it
 * read finds its bytes in place, and is skipped. `position` is the segment's reference offset.
 */
export function prefilledSegment(
  segment: SourceSegment,
  position: number,
  filled: readonly { readonly here: number; readonly start: number; readonly size: number }[],
): SourceSegment {
  let next = 0;
  return {
    length: segment.length,
    copyTo(target, here, address, size) {
      // Copies come in window order: the spans that end before this one are behind it.
      while (next < filled.length && filled[next]!.here + filled[next]!.size <= here) next++;
      const span = filled[next];
      const inPlace =
        span !== undefined &&
        here >= span.here &&
        here + size <= span.here + span.size &&
        position + address - span.start === here - span.here;
      if (!inPlace) segment.copyTo(target, here, address, size);
    },
  };
}

/**
 * A segment whose every copy was read straight in (`prefilledSegment` skips them all): a copy
 * that reaches it is one the dry run did not list, a fault of the decoder's, not the delta's.
 */
export function unlistedSegment(length: number): SourceSegment {
  return {
    length,
    copyTo(_target, here) {
      throw new Error(`the copy at window offset ${here} was not among those read straight in`);
    },
  };
}
