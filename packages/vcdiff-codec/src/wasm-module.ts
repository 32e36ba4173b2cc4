// The part of WebAssembly's API the codec uses, declared here so it needs no DOM or Node types.
export interface WasmModule {
  readonly compiled: unique symbol;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
};

/** A module's linear memory, as its exports show it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export const WASM_PAGE = 65536;

const compiled = new Map<string, WasmModule | null>();

/**
 * A fresh instance of the module `base64` holds (compiled once per process), or undefined where
 * WebAssembly cannot run it: no WebAssembly at all, or a page that forbids compiling. The
 * callers then decode in TypeScript.
 */
export function instantiate<Exports>(base64: string): Exports | undefined {
  let module = compiled.get(base64);
  if (module === undefined) {
    try {
      const text = atob(base64);
      const bytes = new Uint8Array(text.length);
      for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index);
      module = new WebAssembly.Module(bytes);
    } catch {
      module = null;
    }
    compiled.set(base64, module);
  }
  if (module === null) return undefined;
  try {
    return new WebAssembly.Instance(module, {}).exports as Exports;
  } catch {
    return undefined;
  }
}

/** Grows `memory` to at least `bytes`; false when it cannot. */
export function reserveMemory(memory: WasmMemory, bytes: number): boolean {
  const missing = Math.ceil((bytes - memory.buffer.byteLength) / WASM_PAGE);
  if (missing <= 0) return true;
  try {
    return memory.grow(missing) >= 0;
  } catch {
    return false;
  }
}
