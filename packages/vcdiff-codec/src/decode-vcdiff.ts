import { CodecError } from '@deltaglider/core';
import { AddressCache } from './address-cache.js';
import { adler32 } from './adler32.js';
import { ByteReader } from './byte-reader.js';
import {
  defaultCodeTable,
  type Instruction,
  InstructionType,
  VCD_ADLER32,
  VCD_APPHEADER,
  VCD_CODETABLE,
  VCD_DECOMPRESS,
  VCD_SOURCE,
  VCD_TARGET,
  VCDIFF_MAGIC,
} from './vcdiff-format.js';

/** xdelta3 writes windows of at most 16 MiB (its -W limit); four times that is still a delta. */
const MAX_WINDOW_BYTES = 64 * 1024 * 1024;

/**
 * Rebuilds a file from its reference and a VCDIFF delta (RFC 3284, with xdelta3's extensions:
 * application header skipped, per-window Adler-32 checked). Whole buffers for now: streaming
 * and xdelta3's secondary compression (LZMA) are what issue 16 still needs; a delta that uses
 * secondary compression or its own code table is refused with a `CodecError`.
 */
export function decodeVcdiff(reference: Uint8Array, delta: Uint8Array): Uint8Array {
  const reader = new ByteReader(delta, 0, delta.length, 'header');
  for (const expected of VCDIFF_MAGIC)
    if (reader.byte() !== expected) throw new CodecError('not a VCDIFF delta: wrong magic bytes');
  if (reader.byte() !== 0) throw new CodecError('not a VCDIFF delta: unknown version');
  const indicator = reader.byte();
  if (indicator & VCD_DECOMPRESS)
    throw new CodecError(
      `the delta uses xdelta3's secondary compression (id ${reader.byte()}), which this decoder does not read yet`,
    );
  if (indicator & VCD_CODETABLE)
    throw new CodecError('the delta brings its own code table, which this decoder does not read');
  if (indicator & VCD_APPHEADER) reader.take(reader.varint());

  const windows: Uint8Array[] = [];
  let written = 0;
  while (!reader.done) {
    const target = decodeWindow(reader, reference, () => concat(windows, written));
    windows.push(target);
    written += target.length;
  }
  return concat(windows, written);
}

function decodeWindow(
  reader: ByteReader,
  reference: Uint8Array,
  targetSoFar: () => Uint8Array,
): Uint8Array {
  const indicator = reader.byte();
  let source: Uint8Array = new Uint8Array(0);
  if (indicator & (VCD_SOURCE | VCD_TARGET)) {
    const length = reader.varint();
    const position = reader.varint();
    const from = indicator & VCD_SOURCE ? reference : targetSoFar();
    if (position + length > from.length)
      throw new CodecError('the delta refers past the end of its reference: wrong reference?');
    source = from.subarray(position, position + length);
  }
  const encodingLength = reader.varint();
  const encodingEnd = reader.position + encodingLength;
  const targetLength = reader.varint();
  // A window is allocated whole: a declared size beyond any xdelta3 window is a damaged delta,
  // not a reason to allocate gigabytes.
  if (targetLength > MAX_WINDOW_BYTES)
    throw new CodecError(`not a VCDIFF delta: a ${targetLength}-byte window`);
  const deltaIndicator = reader.byte();
  if (deltaIndicator !== 0)
    throw new CodecError(
      "the delta uses xdelta3's secondary compression, which this decoder does not read yet",
    );
  const dataLength = reader.varint();
  const instructionsLength = reader.varint();
  const addressesLength = reader.varint();
  const checksum = indicator & VCD_ADLER32 ? new ByteReader(reader.take(4)).take(4) : undefined;
  const data = new ByteReader(reader.take(dataLength), 0, dataLength, 'data section');
  const instructions = new ByteReader(
    reader.take(instructionsLength),
    0,
    instructionsLength,
    'instructions section',
  );
  const addresses = new ByteReader(reader.take(addressesLength), 0, addressesLength, 'addresses');
  if (reader.position !== encodingEnd)
    throw new CodecError('not a VCDIFF delta: a window does not add up');

  const target = runInstructions(source, targetLength, data, instructions, addresses);
  if (checksum) {
    const expected = new DataView(checksum.buffer, checksum.byteOffset, 4).getUint32(0);
    if (adler32(target) !== expected)
      throw new CodecError('the rebuilt window fails its Adler-32 check: wrong reference?');
  }
  return target;
}

function runInstructions(
  source: Uint8Array,
  targetLength: number,
  data: ByteReader,
  instructions: ByteReader,
  addresses: ByteReader,
): Uint8Array {
  const target = new Uint8Array(targetLength);
  const cache = new AddressCache();
  let here = 0;
  const perform = (instruction: Instruction) => {
    if (instruction.type === InstructionType.Noop) return;
    const size = instruction.size === 0 ? instructions.varint() : instruction.size;
    if (here + size > targetLength)
      throw new CodecError('not a VCDIFF delta: instructions write past the window');
    if (instruction.type === InstructionType.Add) target.set(data.take(size), here);
    else if (instruction.type === InstructionType.Run) target.fill(data.byte(), here, here + size);
    else {
      const address = cache.decode(instruction.mode, source.length + here, addresses);
      copy(source, target, address, here, size);
    }
    here += size;
  };
  while (!instructions.done) {
    const [first, second] = defaultCodeTable[instructions.byte()]!;
    perform(first);
    perform(second);
  }
  if (here !== targetLength)
    throw new CodecError('not a VCDIFF delta: a window is shorter than it says');
  return target;
}

/** A COPY from the source segment, or from this window's own output (which may overlap). */
function copy(
  source: Uint8Array,
  target: Uint8Array,
  address: number,
  here: number,
  size: number,
): void {
  let from = address;
  for (let offset = 0; offset < size; offset++, from++)
    target[here + offset] = from < source.length ? source[from]! : target[from - source.length]!;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}
