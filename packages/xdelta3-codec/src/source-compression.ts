// xdelta3 sniffs the first bytes of the files it reads and decompresses a gzip, compress, bzip2
// or xz file before it uses it, unless told otherwise (-D). Encoding, that changes which bytes a
// delta is made of; decoding, its source must then be read the way the encoder read it. A delta
// says how in its application header: `output name/compression/source name/compression`.

/**
 * The application header our deltas carry: no names, and a source compression no xdelta3 knows,
 * so that `xdelta3 -d` as the Python tool runs it reads the reference as it is (and prints a
 * warning that it does not know `none`). The built-in codec writes the same (vcdiff-format.ts).
 */
export const RAW_SOURCE_APPHEADER = '-//-/none';

const VCDIFF_MAGIC = [0xd6, 0xc3, 0xc4];
const VCD_DECOMPRESS = 0x01;
const VCD_CODETABLE = 0x02;
const VCD_APPHEADER = 0x04;

/**
 * The source compression the application header at the start of `delta` names: '' when it names
 * none or there is no header (the encoder read its source as it is), undefined while `delta`'s
 * bytes end before the header does.
 */
export function sourceCompressionOf(delta: Uint8Array): string | undefined {
  if (delta.length < 5) return undefined;
  if (VCDIFF_MAGIC.some((byte, index) => delta[index] !== byte)) return '';
  const indicator = delta[4]!;
  let at = 5;
  if (indicator & VCD_DECOMPRESS) at++;
  const skip = (): boolean => {
    const length = varintAt(delta, at);
    if (length === undefined) return false;
    at = length.end + length.value;
    return at <= delta.length;
  };
  if (indicator & VCD_CODETABLE && !skip()) return undefined;
  if (!(indicator & VCD_APPHEADER)) return '';
  const length = varintAt(delta, at);
  if (length === undefined || length.end + length.value > delta.length) return undefined;
  const header = new TextDecoder('latin1').decode(
    delta.subarray(length.end, length.end + length.value),
  );
  const fields = header.split('/');
  return fields.length === 4 ? fields[3]! : '';
}

/** RFC 3284's integer at `at`, and where it ends; undefined when `bytes` end first. */
function varintAt(bytes: Uint8Array, at: number): { value: number; end: number } | undefined {
  let value = 0;
  for (let next = at; next < bytes.length && next < at + 8; next++) {
    const byte = bytes[next]!;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return { value, end: next + 1 };
  }
  return undefined;
}
