import type { BodySource } from '@deltaglider/core';
import { CodecError } from '@deltaglider/core';
import { AsyncByteReader } from './async-byte-reader.js';
import { ByteReader } from './byte-reader.js';
import { readRangeInto } from './read-range.js';
import { VCD_SOURCE, VCD_TARGET } from './vcdiff-format.js';
import { readVcdiffHeader } from './vcdiff-header.js';
import { MAX_WINDOW_BYTES, WindowDecoder } from './window-decoder.js';

/** A window's encoding is its sections; even uncompressed they stay within a few window sizes. */
const MAX_ENCODING_BYTES = 8 * MAX_WINDOW_BYTES;
/** xdelta3 reads source segments from a 64 MiB window by default; allow well beyond that. */
const MAX_SOURCE_SEGMENT_BYTES = 1024 * 1024 * 1024;

/**
 * Rebuilds a file from its reference and a streaming VCDIFF delta, one window at a time: memory
 * holds one window's encoding, its target (at most 64 MiB, xdelta3 writes 8 MiB) and the source
 * segment it copies from, read from the reference by range.
 */
export async function* decodeVcdiffStream(
  reference: BodySource,
  delta: AsyncIterable<Uint8Array>,
  options: { signal?: AbortSignal } = {},
): AsyncIterable<Uint8Array> {
  const reader = new AsyncByteReader(delta);
  try {
    const windows = new WindowDecoder(readVcdiffHeader(await headerReader(reader)));
    const segments = new SegmentReader(reference);
    let previous: { start: number; bytes: Uint8Array } = { start: 0, bytes: new Uint8Array(0) };
    while (!(await reader.atEnd())) {
      options.signal?.throwIfAborted();
      const indicator = await reader.byte();
      let source: Uint8Array = new Uint8Array(0);
      if (indicator & (VCD_SOURCE | VCD_TARGET)) {
        const length = await reader.varint();
        const position = await reader.varint();
        source =
          indicator & VCD_SOURCE
            ? await segments.read(position, length, options.signal)
            : earlierTarget(previous, position, length);
      }
      const encodingLength = await reader.varint();
      if (encodingLength > MAX_ENCODING_BYTES)
        throw new CodecError(`not a VCDIFF delta: a ${encodingLength}-byte window encoding`);
      const encoding = await reader.take(encodingLength);
      const target = windows.decode(
        new ByteReader(encoding, 0, encoding.length, 'window'),
        indicator,
        source,
      );
      previous = { start: previous.start + previous.bytes.length, bytes: target };
      yield target;
    }
  } finally {
    await reader.close();
  }
}

/**
 * The header is short but of unknown length (an application header may follow): it is parsed
 * from the bytes read so far, reading more while it runs short.
 */
async function headerReader(reader: AsyncByteReader): Promise<ByteReader> {
  const fixed = await reader.take(5);
  const indicator = fixed[4]!;
  const parts = [fixed];
  if (indicator & 0x01) parts.push(Uint8Array.of(await reader.byte()));
  if (indicator & 0x04) {
    const lengthBytes: number[] = [];
    let length = 0;
    for (;;) {
      const byte = await reader.byte();
      lengthBytes.push(byte);
      length = length * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0 || lengthBytes.length > 4) break;
    }
    if (length > 1 << 20) throw new CodecError('not a VCDIFF delta: a huge application header');
    parts.push(Uint8Array.from(lengthBytes), await reader.take(length));
  }
  const header = Buffer.concat(parts);
  return new ByteReader(header, 0, header.length, 'header');
}

/**
 * The reference bytes windows copy from. Consecutive windows' segments overlap (xdelta3 declares
 * its whole source window each time), so the overlap with the last segment is kept, not reread.
 */
class SegmentReader {
  private held = { start: 0, bytes: new Uint8Array(0) };

  constructor(private readonly reference: BodySource) {}

  async read(position: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    if (position + length > this.reference.size)
      throw new CodecError('the delta refers past the end of its reference: wrong reference?');
    if (length > MAX_SOURCE_SEGMENT_BYTES)
      throw new CodecError(`not a VCDIFF delta: a ${length}-byte source segment`);
    const held = this.held;
    const heldEnd = held.start + held.bytes.length;
    if (position >= held.start && position + length <= heldEnd)
      return held.bytes.subarray(position - held.start, position - held.start + length);
    const segment = new Uint8Array(length);
    let from = position;
    if (position >= held.start && position < heldEnd) {
      segment.set(held.bytes.subarray(position - held.start));
      from = heldEnd;
    }
    await readRangeInto(this.reference, segment, from - position, from, position + length, signal);
    this.held = { start: position, bytes: segment };
    return segment;
  }
}

/** A VCD_TARGET segment: only the window just decoded is kept, which is what encoders use. */
function earlierTarget(
  previous: { start: number; bytes: Uint8Array },
  position: number,
  length: number,
): Uint8Array {
  const from = position - previous.start;
  if (from < 0 || from + length > previous.bytes.length)
    throw new CodecError('the delta copies from target bytes this decoder no longer holds');
  return previous.bytes.subarray(from, from + length);
}
