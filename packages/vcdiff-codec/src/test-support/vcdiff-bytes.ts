/** RFC 3284's variable-length integer. */
export function varint(value: number): number[] {
  const digits = [value & 0x7f];
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128))
    digits.unshift((rest & 0x7f) | 0x80);
  return digits;
}

/** The file header: magic, version 0, no secondary compressor, no code table. */
export const VCDIFF_HEADER = [0xd6, 0xc3, 0xc4, 0x00, 0x00];

/**
 * One window, nothing compressed, no checksum: `indicator` (VCD_SOURCE 1, VCD_TARGET 2) with
 * its segment, and the sections as the default code table encodes them.
 */
export function vcdiffWindow(window: {
  indicator: number;
  segment: { length: number; position: number };
  targetLength: number;
  data: readonly number[];
  instructions: readonly number[];
  addresses: readonly number[];
}): number[] {
  const encoding = [
    ...varint(window.targetLength),
    0, // Delta_Indicator: nothing compressed
    ...varint(window.data.length),
    ...varint(window.instructions.length),
    ...varint(window.addresses.length),
    ...window.data,
    ...window.instructions,
    ...window.addresses,
  ];
  return [
    window.indicator,
    ...varint(window.segment.length),
    ...varint(window.segment.position),
    ...varint(encoding.length),
    ...encoding,
  ];
}
