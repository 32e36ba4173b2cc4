import { AddressCache } from './address-cache.js';
import { adler32 } from './adler32.js';
import { ByteReader } from './byte-reader.js';
import { CodecError } from './codec-error.js';
import { SHORT_COPY } from './copy-bytes.js';
import { DeferredSection } from './deferred-section.js';
import {
  fastestLzmaChunks,
  type LzmaChunksFor,
  XzSectionStream,
} from './lzma/xz-section-stream.js';
import type { SourceSegment } from './source-segment.js';
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
  /** The window read last: its data section comes out of the stream before the next one's. */
  private previous: ParsedWindow | undefined;

  constructor(header: VcdiffHeader, chunksFor: LzmaChunksFor = fastestLzmaChunks) {
    this.streams =
      header.secondary === undefined
        ? undefined
        : [
            new XzSectionStream(chunksFor),
            new XzSectionStream(chunksFor),
            new XzSectionStream(chunksFor),
          ];
  }

  /**
   * Reads one window's delta encoding (everything after the encoding length), decompressing its
   * sections; `indicator` (the Win_Indicator) says whether an Adler-32 of the result follows.
   */
  read(encoding: ByteReader, indicator: number, segmentLength: number): ParsedWindow {
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
    this.previous?.settleData();
    const data = this.dataSection(
      encoding.take(dataLength),
      compressed & DATA_COMPRESSED,
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
    this.previous = new ParsedWindow(
      segmentLength,
      targetLength,
      checksum && new DataView(checksum.buffer, checksum.byteOffset, 4).getUint32(0),
      { data, instructions, addresses },
    );
    return this.previous;
  }

  /**
   * The data section, its size checked now and its bytes decompressed when the window wants
   * them: the WebAssembly runner has its reference reads in flight by then.
   */
  private dataSection(bytes: Uint8Array, compressed: number, limit: number): DeferredSection {
    if (!compressed) return DeferredSection.plain(bytes);
    const { size, packed } = this.sized(bytes, 'data', limit);
    const stream = this.streams![0];
    return new DeferredSection(size, {
      now: () => stream.section(packed, size),
      paced: (pause) => stream.sectionPaced(packed, size, pause),
    });
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
    const { size, packed } = this.sized(bytes, name, limit);
    const plain = this.streams![stream]!.section(packed, size);
    return new ByteReader(plain, 0, plain.length, `${name} section`);
  }

  /** A compressed section's size (the varint it starts with, checked) and its packed bytes. */
  private sized(
    bytes: Uint8Array,
    name: string,
    limit: number,
  ): { size: number; packed: Uint8Array } {
    const sized = new ByteReader(bytes, 0, bytes.length, `${name} section`);
    const size = sized.varint();
    if (size === 0 || size > limit)
      throw new CodecError(`not a VCDIFF delta: a ${size}-byte compressed ${name} section`);
    return { size, packed: bytes.subarray(sized.position) };
  }
}

/** A COPY's part in the source segment: `size` bytes from reference offset `start` to `here`. */
export interface SourceCopy {
  readonly here: number;
  readonly start: number;
  readonly size: number;
}

/** What a window reads of the reference: blocks for its short copies, its long copies whole. */
export interface SourceReads {
  readonly blocks: Set<number>;
  /** Its copies of `direct` bytes or more, in window order. */
  readonly direct: SourceCopy[];
}

/**
 * What `copies` read of the reference: the blocks (of `blockSize` bytes) the short ones read,
 * and the copies of `direct` bytes or more, which can be read straight into the target.
 */
export function sourceReadsOf(
  copies: readonly SourceCopy[],
  blockSize: number,
  direct: number,
): SourceReads {
  const reads: SourceReads = { blocks: new Set(), direct: [] };
  for (const copy of copies) addRead(reads, copy, blockSize, direct);
  return reads;
}

function addRead(reads: SourceReads, copy: SourceCopy, blockSize: number, direct: number): void {
  if (copy.size >= direct) {
    reads.direct.push(copy);
    return;
  }
  const end = copy.start + copy.size;
  for (let block = Math.floor(copy.start / blockSize); block * blockSize < end; block++)
    reads.blocks.add(block);
}

interface Sections<Data = DeferredSection> {
  readonly data: Data;
  readonly instructions: ByteReader;
  readonly addresses: ByteReader;
}

/** A window read and decompressed, ready to run against its source segment. */
export class ParsedWindow {
  constructor(
    readonly segmentLength: number,
    readonly targetLength: number,
    /** The Adler-32 its bytes must have, when the delta carries one. */
    readonly checksum: number | undefined,
    private readonly sections: Sections,
  ) {}

  /** Its instructions and addresses, decompressed, for a runner of its own (wasm-windows.ts). */
  codeBytes(): { instructions: Uint8Array; addresses: Uint8Array } {
    return {
      instructions: this.sections.instructions.rest(),
      addresses: this.sections.addresses.rest(),
    };
  }

  /** Its data section's length, before it is decompressed. */
  get dataLength(): number {
    return this.sections.data.length;
  }

  /** Its data section's bytes, decompressed with `pause` between the pieces. */
  dataBytes(pause: () => Promise<void>): Promise<Uint8Array> {
    return this.sections.data.paced(pause);
  }

  /** Decompresses its data section now if nothing wanted it yet. */
  settleData(): void {
    this.sections.data.reader();
  }

  /**
   * Its COPY instructions' parts in the segment (which starts at reference offset `position`),
   * in window order; undefined where they are more than `most`, which are not listed one by one
   * (a window of 64 MiB could hold 16 million). Found by a dry run over the instructions.
   */
  sourceCopies(position: number, most: number): SourceCopy[] | undefined {
    const copies: SourceCopy[] = [];
    const whole = this.eachSourceCopy(position, (copy) => {
      copies.push(copy);
      return copies.length <= most;
    });
    return whole ? copies : undefined;
  }

  /**
   * What its COPY instructions read of the reference (`sourceReadsOf`), by a dry run that lists
   * only its copies of `direct` bytes or more.
   */
  sourceReads(position: number, blockSize: number, direct: number): SourceReads {
    const reads: SourceReads = { blocks: new Set(), direct: [] };
    this.eachSourceCopy(position, (copy) => {
      addRead(reads, copy, blockSize, direct);
      return true;
    });
    return reads;
  }

  /**
   * A dry run over the instructions, before the window runs, so that its reads of the reference
   * can be chosen and started: calls `visit` with each COPY's part in the segment, in window
   * order, while it answers true. Whether it went through them all.
   */
  private eachSourceCopy(position: number, visit: (copy: SourceCopy) => boolean): boolean {
    const instructions = this.sections.instructions.clone();
    const addresses = this.sections.addresses.clone();
    const cache = new AddressCache();
    let here = 0;
    while (!instructions.done) {
      for (const instruction of defaultCodeTable[instructions.byte()]!) {
        if (instruction.type === InstructionType.Noop) continue;
        const size = instruction.size === 0 ? instructions.varint() : instruction.size;
        if (instruction.type === InstructionType.Copy) {
          const address = cache.decode(instruction.mode, this.segmentLength + here, addresses);
          // A copy may run on from the segment into the window's own bytes: its part in the
          // segment is what the reference gives.
          const inSegment = Math.min(size, this.segmentLength - address);
          if (inSegment > 0 && !visit({ here, start: position + address, size: inSegment }))
            return false;
        }
        here += size;
        if (here > this.targetLength)
          throw new CodecError('not a VCDIFF delta: instructions write past the window');
      }
    }
    return true;
  }

  /** A buffer for the window's bytes, to read direct copies into before it runs. */
  targetBuffer(): Uint8Array {
    return new Uint8Array(this.targetLength);
  }

  /** Runs the instructions: the window's bytes, checked against its Adler-32 when it has one. */
  run(source: SourceSegment, target = this.targetBuffer()): Uint8Array {
    if (source.length !== this.segmentLength || target.length !== this.targetLength)
      throw new Error('a window ran against a segment or into a buffer of another size');
    runInstructions(source, target, { ...this.sections, data: this.sections.data.reader() });
    if (this.checksum !== undefined && adler32(target) !== this.checksum)
      throw new CodecError('the rebuilt window fails its Adler-32 check: wrong reference?');
    return target;
  }
}

function runInstructions(
  source: SourceSegment,
  target: Uint8Array,
  { data, instructions, addresses }: Sections<ByteReader>,
): void {
  const targetLength = target.length;
  const cache = new AddressCache();
  let here = 0;
  const perform = (instruction: Instruction) => {
    if (instruction.type === InstructionType.Noop) return;
    const size = instruction.size === 0 ? instructions.varint() : instruction.size;
    if (here + size > targetLength)
      throw new CodecError('not a VCDIFF delta: instructions write past the window');
    if (instruction.type === InstructionType.Add) data.copyTo(target, here, size);
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
}

/**
 * A COPY from the source segment, from this window's own output, or across from one into the
 * other. Copies from the output may overlap what they write (a run of a repeated pattern), so
 * those go byte by byte.
 */
function copy(
  source: SourceSegment,
  target: Uint8Array,
  address: number,
  here: number,
  size: number,
): void {
  let from = address;
  let at = here;
  let left = size;
  if (from < source.length) {
    const count = Math.min(left, source.length - from);
    source.copyTo(target, at, from, count);
    from += count;
    at += count;
    left -= count;
  }
  let back = from - source.length;
  if (left === 0) return;
  if (back + left <= at && left > SHORT_COPY) {
    target.copyWithin(at, back, back + left);
    return;
  }
  for (; left > 0; left--) target[at++] = target[back++]!;
}
