import type { SourceCopy } from './window-decoder.js';

/**
 * Reference bytes a span reads between two of its copies rather than read each on its own: a
 * read costs more than a few KiB of its bytes, and the window's instructions overwrite them.
 */
const SPAN_GAP = 4096;
/**
 * Reads a window may make of its spans for each 1 MiB block of the reference they spare it (in
 * fresh memory, and a second copy into the window). Measured in fresh processes from a local
 * file, medians of 11: lodash's tar (33 spans for 3 blocks) 12.8 -> 11.2 ms,
 * @aws-sdk/client-s3's (4 for 4) 13.4 -> 12.8; react-dom's (245 for 8) no faster.
 */
export const SPAN_READS_PER_BLOCK = 16;

/**
 * A window's copies are listed one by one (for spans, and for its reads at every threshold
 * without another dry run) where they average this many bytes of it or more: at most a
 * thousand objects per MiB of window (some 50 KB). A window of more copies seldom joins them
 * into few enough spans, and a crafted one could list millions: its dry run lists only the
 * copies it reads straight.
 */
const LISTED_COPY_BYTES = 1024;

/** How many copies a window of `targetLength` bytes may list (`LISTED_COPY_BYTES`). */
export function mostListedCopies(targetLength: number): number {
  return Math.ceil(targetLength / LISTED_COPY_BYTES);
}

/**
 * `copies` (in window order) joined into spans where one follows another, at most SPAN_GAP
 * after it, at the same distance between where it reads and where it writes: one read brings
 * in both and the bytes between them, which the window's other instructions (its ADDs, RUNs and
 * copies from elsewhere) overwrite when it runs. A release that changed little is a few spans.
 */
export function straightSpans(copies: readonly SourceCopy[]): SourceCopy[] {
  const spans: SourceCopy[] = [];
  let last: SourceCopy | undefined;
  for (const copy of copies) {
    if (
      last !== undefined &&
      copy.here - copy.start === last.here - last.start &&
      copy.here - (last.here + last.size) <= SPAN_GAP
    ) {
      last = { here: last.here, start: last.start, size: copy.here + copy.size - last.here };
      spans[spans.length - 1] = last;
    } else {
      last = copy;
      spans.push(last);
    }
  }
  return spans;
}
