import { CodecError } from '@deltaglider/core';
import { AddressCache } from './address-cache.js';
import { adler32 } from './adler32.js';
import { ByteReader } from './byte-reader.js';
import { XzSectionStream } from './lzma/xz-section-stream.js';
import {
  defaultCodeTable,
  type Instruction,
  InstructionType,
  VCD_ADLER32,
} from './vcdiff-format.js';
import type { VcdiffHeader } from './vcdiff-header.js';

/** xdelta3 writes windows of at most 16 MiB (its -W limit); four times that is still a delta. */
export const MAX_WINDOW_BYTES = 64 * 1024 * 1024;

/** Delta_Indicator bits: which sections went through secondary compression. */
const DATA_COMPRESSED = 0x01;
const INSTRUCTIONS_COMPRESSED = 0x02;
const ADDRESSES_COMPRESSED = 0x04;

/**
 * Decodes the windows of one delta in order. It holds what lives across windows: xdelta3's three
 * secondary-compression streams (one each for data, instructions and addresses).
 */
export class WindowDecoder {
  private readonly streams:
    | readonly [XzSectionStream, XzSectionStream, XzSectionStream]
    | undefined;

  constructor(header: VcdiffHeader) {
    this.streams =
      header.secondary === undefined
        ? undefined
        : [new XzSectionStream(), new XzSectionStream(), new XzSectionStream()];
  }

  /**
   * Rebuilds one window from its delta encoding (everything after the encoding length) and its
   * source segment; `checksum` says whether an Adler-32 of the result is in the encoding.
   */
  decode(encoding: ByteReader, indicator: number, source: Uint8Array): Uint8Array {
    const targetLength = encoding.varint();
    // A window is allocated whole: a declared size beyond any xdelta3 window is a damaged delta,
    // not a reason to allocate gigabytes.
    if (targetLength > MAX_WINDOW_BYTES)
      throw new CodecError(`not a VCDIFF delta: a ${targetLength}-byte window`);
    const compressed = encoding.byte();
    if (compressed & ~0x07 || (compressed !== 0 && !this.streams))
      throw new CodecError('not a VCDIFF delta: compressed sections without a compressor');
    const dataLength = encoding.varint();
    const instructionsLength = encoding.varint();
    const addressesLength = encoding.varint();
    const checksum = indicator & VCD_ADLER32 ? encoding.take(4) : undefined;
    // What sections may decompress to follows from the window's size: data is at most one
    // byte per target byte, instructions and addresses a few varints per instruction.
    const limits = { data: targetLength, other: 8 * targetLength + 64 };
    const data = this.section(
      encoding.take(dataLength),
      compressed & DATA_COMPRESSED,
      0,
      'data',
      limits.data,
    );
    const instructions = this.section(
      encoding.take(instructionsLength),
      compressed & INSTRUCTIONS_COMPRESSED,
      1,
      'instructions',
      limits.other,
    );
    const addresses = this.section(
      encoding.take(addressesLength),
      compressed & ADDRESSES_COMPRESSED,
      2,
      'addresses',
      limits.other,
    );
    if (!encoding.done) throw new CodecError('not a VCDIFF delta: a window does not add up');

    const target = runInstructions(source, targetLength, data, instructions, addresses);
    if (checksum) {
      const expected = new DataView(checksum.buffer, checksum.byteOffset, 4).getUint32(0);
      if (adler32(target) !== expected)
        throw new CodecError('the rebuilt window fails its Adler-32 check: wrong reference?');
    }
    return target;
  }

  /** A section as a reader, decompressed first when its Delta_Indicator bit says so. */
  private section(
    bytes: Uint8Array,
    compressed: number,
    stream: number,
    name: string,
    limit: number,
  ): ByteReader {
    if (!compressed) return new ByteReader(bytes, 0, bytes.length, `${name} section`);
    const sized = new ByteReader(bytes, 0, bytes.length, `${name} section`);
    const size = sized.varint();
    if (size === 0 || size > limit)
      throw new CodecError(`not a VCDIFF delta: a ${size}-byte compressed ${name} section`);
    const plain = this.streams![stream]!.section(bytes.subarray(sized.position), size);
    return new ByteReader(plain, 0, plain.length, `${name} section`);
  }
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
  if (address + size <= source.length) {
    target.set(source.subarray(address, address + size), here);
    return;
  }
  let from = address;
  for (let offset = 0; offset < size; offset++, from++)
    target[here + offset] = from < source.length ? source[from]! : target[from - source.length]!;
}
