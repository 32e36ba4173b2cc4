export {
  createVcdiffCodec,
  VCDIFF_ENCODER_COMMAND,
  type VcdiffCodecOptions,
} from './create-vcdiff-codec.js';
export { decodeVcdiff } from './decode-vcdiff.js';
export { decodeVcdiffStream } from './decode-vcdiff-stream.js';
export {
  DEFAULT_SOURCE_WINDOW_SIZE,
  DEFAULT_WINDOW_SIZE,
  encodeVcdiffStream,
  type VcdiffEncodeOptions,
} from './encode-vcdiff-stream.js';
