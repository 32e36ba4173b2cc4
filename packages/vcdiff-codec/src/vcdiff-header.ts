import type { ByteReader } from './byte-reader.js';
import { CodecError } from './codec-error.js';
import { VCD_APPHEADER, VCD_CODETABLE, VCD_DECOMPRESS, VCDIFF_MAGIC } from './vcdiff-format.js';

/** xdelta3's secondary compressor ids. */
const SECONDARY_NAMES: Readonly<Record<number, string>> = { 1: 'DJW', 2: 'LZMA', 16: 'FGK' };
export const SECONDARY_LZMA = 2;
/** An application header longer than this is no xdelta3 delta's (it holds two file names). */
export const MOST_APPHEADER_BYTES = 1 << 20;

export interface VcdiffHeader {
  /** The secondary compressor's id, when the sections are compressed (only LZMA is read). */
  readonly secondary: number | undefined;
}

/** The file header: magic, version 0, indicator; xdelta3's application header is skipped. */
export function readVcdiffHeader(reader: ByteReader): VcdiffHeader {
  for (const expected of VCDIFF_MAGIC)
    if (reader.byte() !== expected) throw new CodecError('not a VCDIFF delta: wrong magic bytes');
  if (reader.byte() !== 0) throw new CodecError('not a VCDIFF delta: unknown version');
  const indicator = reader.byte();
  let secondary: number | undefined;
  if (indicator & VCD_DECOMPRESS) {
    secondary = reader.byte();
    if (secondary !== SECONDARY_LZMA)
      throw new CodecError(
        `the delta uses xdelta3's ${SECONDARY_NAMES[secondary] ?? `unknown (${secondary})`} secondary compression, which only the xdelta3 program reads: use DG_CODEC=xdelta3`,
      );
  }
  if (indicator & VCD_CODETABLE)
    throw new CodecError('the delta brings its own code table, which this decoder does not read');
  if (indicator & VCD_APPHEADER) {
    const length = reader.varint();
    if (length > MOST_APPHEADER_BYTES)
      throw new CodecError('not a VCDIFF delta: a huge application header');
    refuseExternalCompression(reader.take(length));
  }
  return { secondary };
}

/** xdelta3's ids for the programs it decompresses inputs with and recompresses outputs with. */
const EXTERNAL_COMPRESSORS: Readonly<Record<string, string>> = {
  B: 'bzip2',
  G: 'gzip',
  Z: 'compress',
  Y: 'xz',
};

/**
 * xdelta3's application header is `output name/compression/source name/compression`. A delta
 * that names a compressor was made of decompressed files (xdelta3 without -D, as the Python
 * tool runs it, on a .tar.gz): only the xdelta3 program rebuilds it, recompressing the file, and
 * applied to the compressed reference here it would fail its Adler-32 check as a wrong reference.
 */
function refuseExternalCompression(appHeader: Uint8Array): void {
  const fields = new TextDecoder('latin1').decode(appHeader).split('/');
  if (fields.length !== 4) return;
  const compressor = EXTERNAL_COMPRESSORS[fields[3]!] ?? EXTERNAL_COMPRESSORS[fields[1]!];
  if (compressor)
    throw new CodecError(
      `the delta was made by xdelta3 of ${compressor}-decompressed files, which only the xdelta3 program rebuilds: use DG_CODEC=xdelta3`,
    );
}
