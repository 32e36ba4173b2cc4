import { afterEach, describe, expect, it, vi } from 'vitest';
import { runtimeWebAssembly } from './test-support/runtime-webassembly.js';
import { instantiate, precompile, type WasmMemory } from './wasm-module.js';

/**
 * A module of its own per test (modules are compiled once per process, by their base64): the
 * empty module with a custom section named `name`, exporting its memory when `withMemory`.
 */
function moduleBase64(name: string, withMemory = false): string {
  const custom = [0x00, name.length + 1, name.length, ...Buffer.from(name)];
  // A memory of one page (section 5) exported as "memory" (section 7).
  const memory = withMemory
    ? [0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x0a, 0x01, 0x06, ...Buffer.from('memory'), 0x02, 0x00]
    : [];
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...memory, ...custom];
  return Buffer.from(bytes).toString('base64');
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('instantiate and precompile', () => {
  it('instantiates a module compiled in the background without compiling it again', async () => {
    const base64 = moduleBase64('background', true);
    await precompile(base64);
    const compileHere = vi.spyOn(runtimeWebAssembly, 'Module');
    const exports = instantiate<{ memory: WasmMemory }>(base64);
    expect(exports?.memory.buffer.byteLength).toBe(65_536);
    expect(compileHere).not.toHaveBeenCalled();
  });

  it('compiles on the main thread when the background compile has not ended', () => {
    const base64 = moduleBase64('not yet', true);
    void precompile(base64);
    const compileHere = vi.spyOn(runtimeWebAssembly, 'Module');
    expect(instantiate<{ memory: WasmMemory }>(base64)?.memory).toBeDefined();
    expect(compileHere).toHaveBeenCalledOnce();
  });

  it('answers undefined for bytes that do not compile, and the background attempt throws nothing', async () => {
    const broken = Buffer.from('not a module').toString('base64');
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      await precompile(broken);
      expect(instantiate(broken)).toBeUndefined();
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('decodes the base64 itself where the runtime has no decoder for it', () => {
    const base64 = moduleBase64('by hand', true);
    const standard = Object.getOwnPropertyDescriptor(Uint8Array, 'fromBase64');
    vi.stubGlobal('Buffer', undefined);
    if (standard) Object.defineProperty(Uint8Array, 'fromBase64', { value: undefined });
    try {
      expect(instantiate<{ memory: WasmMemory }>(base64)?.memory).toBeDefined();
    } finally {
      if (standard) Object.defineProperty(Uint8Array, 'fromBase64', standard);
    }
  });
});
