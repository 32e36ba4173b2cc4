import type { WasmMemory } from './wasm-module.js';

/**
 * What assembly/vcdiff-window.ts exports: the window runner (wasm-windows.ts) uses all of it,
 * the Adler-32 of windows run elsewhere (adler32.ts) its sum alone.
 */
export interface VcdiffWindowExports {
  readonly memory: WasmMemory;
  readonly failedAddress: { readonly value: number };
  readonly failedHere: { readonly value: number };
  readonly directReads: { readonly value: number };
  /** Where memory the caller lays out may start: past the module's own data, on a page. */
  heapBase(): number;
  plan(
    position: number,
    segmentLength: number,
    targetLength: number,
    instructions: number,
    instructionsLength: number,
    addresses: number,
    addressesLength: number,
    direct: number,
    seen: number,
    blocksOut: number,
    firstUsesOut: number,
    readsOut: number,
  ): number;
  begin(
    segmentPosition: number,
    segmentLength: number,
    target: number,
    targetLength: number,
    instructions: number,
    instructionsLength: number,
    addresses: number,
    addressesLength: number,
    data: number,
    dataLength: number,
    direct: number,
    table: number,
    slots: number,
  ): void;
  /** 0 once the window has run, PAUSED at `limit`, else a failure. */
  proceed(limit: number): number;
  adler32(at: number, length: number): number;
}
