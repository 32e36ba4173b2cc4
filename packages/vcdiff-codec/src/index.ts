export type { ByteSource } from './byte-source.js';
export { CodecError } from './codec-error.js';
export { decodeVcdiff } from './decode-vcdiff.js';
export { decodeVcdiffStream } from './decode-vcdiff-stream.js';
export {
  DEFAULT_SOURCE_WINDOW_SIZE,
  DEFAULT_WINDOW_SIZE,
  encodeVcdiffStream,
  type VcdiffEncodeOptions,
} from './encode-vcdiff-stream.js';

export { VCDIFF_ENCODER_COMMAND } from './encoder-command.js';
