import { describe, expect, it } from 'vitest';
import { VCDIFF_WINDOW_WASM } from './vcdiff-window-wasm.js';

// V8 runs a module's functions first as Liftoff's baseline code and hands a function to its
// optimizing compiler (TurboFan) once it has run about 1.8 MB of its machine code: each turn of a
// loop counts the loop's whole length. `proceed` turns once per VCDIFF instruction, so the
// longer its loop, the sooner even a small window's decode pays for that compile, on the other
// core it shares with the file reads. With its helpers inlined it was 2,228 bytes (7 KB of
// machine code, 3 ms to optimize): a fresh decode of sharp's 1 MB tar took 2.5 ms longer than
// with that compile kept away. At 533 bytes, most deltas of sharp end before it is optimized.

/** The body length of each function the module exports, by export name. */
function exportedBodyLengths(module: Uint8Array): Map<string, number> {
  let at = 8; // magic and version
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = module[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  };
  let importedFunctions = 0;
  const exported = new Map<number, string>();
  const bodies: number[] = [];
  while (at < module.length) {
    const id = module[at++]!;
    const end = varint() + at;
    if (id === 2) {
      for (let count = varint(); count > 0; count--) {
        at = varint() + at; // module name
        at = varint() + at; // field name
        const kind = module[at++]!;
        if (kind !== 0) throw new Error('the window module imports only functions');
        varint(); // type index
        importedFunctions++;
      }
    } else if (id === 7) {
      for (let count = varint(); count > 0; count--) {
        const length = varint();
        const name = new TextDecoder().decode(module.subarray(at, at + length));
        at += length;
        const kind = module[at++]!;
        const index = varint();
        if (kind === 0) exported.set(index, name);
      }
    } else if (id === 10) {
      for (let count = varint(); count > 0; count--) {
        const length = varint();
        bodies.push(length);
        at += length;
      }
    }
    at = end;
  }
  const lengths = new Map<string, number>();
  for (const [index, name] of exported) lengths.set(name, bodies[index - importedFunctions]!);
  return lengths;
}

describe('the WebAssembly window module', () => {
  it('keeps the loop that runs each instruction short, its helpers called, not inlined', () => {
    const lengths = exportedBodyLengths(Buffer.from(VCDIFF_WINDOW_WASM, 'base64'));
    expect(lengths.get('plan')).toBeGreaterThan(0);
    expect(lengths.get('proceed')).toBeLessThanOrEqual(640);
  });
});
