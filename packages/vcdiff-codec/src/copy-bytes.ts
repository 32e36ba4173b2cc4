/** Copies this long and shorter go byte by byte: a subarray each cost more than the bytes. */
export const SHORT_COPY = 128;

/**
 * Copies `count` bytes from `from[fromAt]` to `to[toAt]` (different arrays). Deltas are made of
 * many short ADDs and COPYs, so the short ones skip the subarray `set` needs (measured on
 * instruction-heavy deltas: esbuild-wasm's plain delta 611 -> ~370 ms).
 */
export function copyBytes(
  from: Uint8Array,
  fromAt: number,
  to: Uint8Array,
  toAt: number,
  count: number,
): void {
  if (count > SHORT_COPY) to.set(from.subarray(fromAt, fromAt + count), toAt);
  else for (let index = 0; index < count; index++) to[toAt + index] = from[fromAt + index]!;
}
