/**
 * The runtime's WebAssembly, as far as the tests look at it (the package has no DOM types):
 * they watch `Module` to see where a module is compiled.
 */
export const runtimeWebAssembly = (
  globalThis as unknown as { WebAssembly: { Module: new () => object } }
).WebAssembly;
