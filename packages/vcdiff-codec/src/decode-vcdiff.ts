import { ByteReader } from './byte-reader.js';
import { CodecError } from './codec-error.js';
import { concatBytes } from './concat-bytes.js';
import { bytesSegment } from './source-segment.js';
import { VCD_SOURCE, VCD_TARGET } from './vcdiff-format.js';
import { readVcdiffHeader } from './vcdiff-header.js';
import { WindowDecoder } from './window-decoder.js';

/**
 * Rebuilds a file from its reference and a VCDIFF delta held whole in memory (RFC 3284, with
 * xdelta3's extensions: LZMA secondary compression, application header skipped, per-window
 * Adler-32 checked). `decodeVcdiffStream` is the same decoder over streams.
 */
export function decodeVcdiff(reference: Uint8Array, delta: Uint8Array): Uint8Array {
  const reader = new ByteReader(delta, 0, delta.length, 'header');
  const windows = new WindowDecoder(readVcdiffHeader(reader));
  const parts: Uint8Array[] = [];
  while (!reader.done) {
    const indicator = reader.byte();
    let source: Uint8Array = new Uint8Array(0);
    if (indicator & (VCD_SOURCE | VCD_TARGET)) {
      const length = reader.varint();
      const position = reader.varint();
      const from = indicator & VCD_SOURCE ? reference : concatBytes(parts);
      if (position + length > from.length)
        throw new CodecError('the delta refers past the end of its reference: wrong reference?');
      source = from.subarray(position, position + length);
    }
    const encodingLength = reader.varint();
    const encoding = new ByteReader(reader.take(encodingLength), 0, encodingLength, 'window');
    const target = windows.read(encoding, indicator, source.length).run(bytesSegment(source));
    parts.push(target);
  }
  return concatBytes(parts);
}
