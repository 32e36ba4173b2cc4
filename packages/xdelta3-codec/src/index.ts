export {
  createXdelta3Codec,
  DEFAULT_XDELTA3_LEVEL,
  type Xdelta3CodecOptions,
  xdelta3LevelFor,
} from './xdelta3-codec.js';
