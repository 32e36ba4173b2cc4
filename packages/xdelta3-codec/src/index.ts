export { createXdelta3Codec, type Xdelta3CodecOptions } from './xdelta3-codec.js';
