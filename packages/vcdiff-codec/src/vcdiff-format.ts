// The fixed parts of VCDIFF (RFC 3284) and xdelta3's extensions to it.

export const VCDIFF_MAGIC = [0xd6, 0xc3, 0xc4] as const;

/** Hdr_Indicator bits. */
export const VCD_DECOMPRESS = 0x01; // a secondary compressor id follows (xdelta3: DJW=1, LZMA=2, FGK=16)
export const VCD_CODETABLE = 0x02; // an application-defined code table follows
export const VCD_APPHEADER = 0x04; // xdelta3: an application header (file names) follows

/**
 * The application header every delta we write carries, in xdelta3's form (output name and
 * compression, source name and compression): no names, and a source compression no xdelta3
 * knows. Without it, `xdelta3 -d` sniffs its source's first bytes and decompresses a gzip, compress,
 * bzip2 or xz file (a .tar.gz release) before applying a delta made against its compressed bytes,
 * and the Python tool could not rebuild the file. With it xdelta3 reads the reference as it is,
 * printing a warning that it does not know the compression `none`.
 */
export const RAW_SOURCE_APPHEADER = '-//-/none';

/** Win_Indicator bits. */
export const VCD_SOURCE = 0x01;
export const VCD_TARGET = 0x02;
export const VCD_ADLER32 = 0x04; // xdelta3: a checksum of the target window follows

export enum InstructionType {
  Noop = 0,
  Add = 1,
  Run = 2,
  Copy = 3,
}

export interface Instruction {
  readonly type: InstructionType;
  /** 0: the size follows in the instructions section. */
  readonly size: number;
  readonly mode: number;
}

/** The RFC 3284 default code table: 256 entries of one or two instructions (section 5.6). */
export const defaultCodeTable: readonly (readonly [Instruction, Instruction])[] = buildTable();

function buildTable(): [Instruction, Instruction][] {
  const noop: Instruction = { type: InstructionType.Noop, size: 0, mode: 0 };
  const table: [Instruction, Instruction][] = [];
  table.push([{ type: InstructionType.Run, size: 0, mode: 0 }, noop]);
  for (let size = 0; size <= 17; size++)
    table.push([{ type: InstructionType.Add, size, mode: 0 }, noop]);
  for (let mode = 0; mode <= 8; mode++) {
    table.push([{ type: InstructionType.Copy, size: 0, mode }, noop]);
    for (let size = 4; size <= 18; size++)
      table.push([{ type: InstructionType.Copy, size, mode }, noop]);
  }
  for (let mode = 0; mode <= 5; mode++)
    for (let addSize = 1; addSize <= 4; addSize++)
      for (let copySize = 4; copySize <= 6; copySize++)
        table.push([
          { type: InstructionType.Add, size: addSize, mode: 0 },
          { type: InstructionType.Copy, size: copySize, mode },
        ]);
  for (let mode = 6; mode <= 8; mode++)
    for (let addSize = 1; addSize <= 4; addSize++)
      table.push([
        { type: InstructionType.Add, size: addSize, mode: 0 },
        { type: InstructionType.Copy, size: 4, mode },
      ]);
  for (let mode = 0; mode <= 8; mode++)
    table.push([
      { type: InstructionType.Copy, size: 4, mode },
      { type: InstructionType.Add, size: 1, mode: 0 },
    ]);
  return table;
}
