// The part of WebAssembly's API the codec uses, declared here so it needs no DOM or Node types.
export interface WasmModule {
  readonly compiled: unique symbol;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  compile(bytes: Uint8Array): Promise<WasmModule>;
};

/** Base64 decoders some runtimes have built in: the standard one, and Node's. */
const runtime = globalThis as unknown as {
  Uint8Array: { fromBase64?: (text: string) => Uint8Array };
  Buffer?: { from(text: string, encoding: 'base64'): Uint8Array };
};

/** A module's linear memory, as its exports show it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export const WASM_PAGE = 65536;

/** Modules by their base64: compiled, or null where they cannot be. */
const compiled = new Map<string, WasmModule | null>();
/** Modules being compiled in the background: each compile, ended or failed. */
const compiling = new Map<string, Promise<void>>();

/**
 * Starts compiling the module `base64` holds off the main thread, where the runtime can, so that
 * its first `instantiate` finds it compiled. A decode starts it before it waits for the delta's
 * first bytes: in a fresh process the two modules took 0.5-0.8 ms to compile on the main thread.
 * The promise ends with the compile and never rejects. A caller about to `instantiate` should
 * wait for it: compiling the module again there, while this compile is under way, waits for
 * this compile anyway (V8: 0.06-1 ms of a 1 MB decode in a fresh process).
 */
export function precompile(base64: string): Promise<void> {
  if (compiled.has(base64)) return Promise.resolve();
  const pending = compiling.get(base64);
  if (pending) return pending;
  let module: Promise<WasmModule>;
  try {
    module = WebAssembly.compile(moduleBytes(base64));
  } catch {
    return Promise.resolve(); // no WebAssembly here: `instantiate` finds that out
  }
  const ended = module
    .then(
      (made) => {
        if (!compiled.has(base64)) compiled.set(base64, made);
      },
      // A page that forbids compiling: `instantiate` tries again, and the callers use TypeScript.
      () => undefined,
    )
    .finally(() => compiling.delete(base64));
  compiling.set(base64, ended);
  return ended;
}

/**
 * A fresh instance of the module `base64` holds (compiled once per process), or undefined where
 * WebAssembly cannot run it: no WebAssembly at all, or a page that forbids compiling. The
 * callers then decode in TypeScript.
 */
export function instantiate<Exports>(base64: string): Exports | undefined {
  let module = compiled.get(base64);
  if (module === undefined) {
    try {
      module = new WebAssembly.Module(moduleBytes(base64));
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

/**
 * A module's bytes from the base64 it ships in, decoded by the runtime where it can: a fresh
 * Node process took 0.6-0.9 ms for the two modules a character at a time.
 */
function moduleBytes(base64: string): Uint8Array {
  if (runtime.Uint8Array.fromBase64) return runtime.Uint8Array.fromBase64(base64);
  if (runtime.Buffer) return runtime.Buffer.from(base64, 'base64');
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index);
  return bytes;
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
