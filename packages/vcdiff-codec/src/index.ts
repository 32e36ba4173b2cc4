export type { ByteSource } from './byte-source.js';
export { CodecError } from './codec-error.js';
export { decodeVcdiff } from './decode-vcdiff.js';
export { decodeVcdiffStream, type VcdiffDecodeOptions } from './decode-vcdiff-stream.js';
export {
  DEFAULT_SOURCE_WINDOW_SIZE,
  DEFAULT_WINDOW_SIZE,
  encodeVcdiffStream,
  type VcdiffEncodeOptions,
} from './encode-vcdiff-stream.js';
export { checkEncoderLevel, DEFAULT_ENCODER_LEVEL } from './encoder/encoder-levels.js';
export { readsDeltaHeader } from './reads-delta-header.js';

/**
 * What a delta made by this codec records as its `dg-delta-cmd` (followed by ` -LEVEL`): not a
 * program anyone can run, but an honest name for the encoder; the delta itself is VCDIFF with
 * xdelta3's LZMA secondary compression, which `xdelta3 -d` reads.
 */
export const VCDIFF_ENCODER_COMMAND = 'deltaglider-vcdiff -e';
