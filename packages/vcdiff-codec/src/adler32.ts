import { ADLER_MOD, scriptAdler32 } from './script-adler32.js';
import type { VcdiffWindowExports } from './vcdiff-window-exports.js';
import { VCDIFF_WINDOW_WASM } from './vcdiff-window-wasm.js';
import { instantiate, reserveMemory } from './wasm-module.js';

/**
 * Bytes copied into WebAssembly's memory at a time: its memory stays this small, and in a fresh
 * process it is fresh memory the kernel faults in a page at a time (1 MiB pieces: summing a
 * 3.6 MB window took 2.1-2.3 ms there, 64 KiB pieces 1.4-1.6 ms; the same once warm).
 */
export const SUMMED_PIECE = 64 * 1024;
/**
 * Fewer bytes than this are summed in TypeScript: a small window's decode would otherwise
 * compile the module for it.
 */
const WORTH_WEBASSEMBLY = 64 * 1024;

/** The module's instance, made on first use; null where WebAssembly cannot run it. */
let summer: { wasm: VcdiffWindowExports; at: number } | null | undefined;

/**
 * Adler-32 (RFC 1950) of `bytes`, as xdelta3 checks each window with it: by the WebAssembly
 * window module's SIMD sum, a piece at a time, where it runs, else in TypeScript. Every window
 * the TypeScript runner decodes (and every window encoded) is summed whole: 8 MB cold took 6 ms
 * in TypeScript and 3.3 ms here, compiling the module included (measured, react-dom's tar).
 */
export function adler32(bytes: Uint8Array): number {
  if (!summedInWebAssembly(bytes.length)) return scriptAdler32(bytes);
  summer ??= makeSummer();
  if (summer === null) return scriptAdler32(bytes);
  const { wasm, at } = summer;
  // The memory's buffer is the same object until the memory grows, and it never grows here.
  const memory = new Uint8Array(wasm.memory.buffer, at, SUMMED_PIECE);
  let sum = 1;
  for (let start = 0; start < bytes.length; start += SUMMED_PIECE) {
    const piece = bytes.subarray(start, start + SUMMED_PIECE);
    memory.set(piece);
    sum = combineAdler32(sum, wasm.adler32(at, piece.length) >>> 0, piece.length);
  }
  return sum;
}

/** Whether `adler32` sums this many bytes with the window module, where WebAssembly runs. */
export function summedInWebAssembly(length: number): boolean {
  return length >= WORTH_WEBASSEMBLY;
}

function makeSummer(): { wasm: VcdiffWindowExports; at: number } | null {
  const wasm = instantiate<VcdiffWindowExports>(VCDIFF_WINDOW_WASM);
  if (!wasm) return null;
  const at = wasm.heapBase();
  return reserveMemory(wasm.memory, at + SUMMED_PIECE) ? { wasm, at } : null;
}

/**
 * The Adler-32 of two runs of bytes one after the other, from each run's own: `second` sums
 * `secondLength` bytes. Each byte of the second run adds to `b` once per byte after it, and the
 * first run's `a` once per byte of the second (zlib's adler32_combine).
 */
export function combineAdler32(first: number, second: number, secondLength: number): number {
  const length = secondLength % ADLER_MOD;
  const firstA = first & 0xffff;
  const a = (firstA + (second & 0xffff) + ADLER_MOD - 1) % ADLER_MOD;
  const b = ((first >>> 16) + (second >>> 16) + length * firstA + ADLER_MOD - length) % ADLER_MOD;
  return ((b << 16) | a) >>> 0;
}
