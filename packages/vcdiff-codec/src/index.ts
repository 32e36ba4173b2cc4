export { decodeVcdiff } from './decode-vcdiff.js';
