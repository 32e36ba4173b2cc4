import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWindows } from './decode-vcdiff-stream.js';
import { bytesSource } from './test-support/bytes-source.js';
import { VCDIFF_HEADER, varint, vcdiffWindow } from './test-support/vcdiff-bytes.js';

// Every COPY as RFC 3284 defines it, byte by byte: from the reference, from the window's own
// bytes at any distance (a copy closer than its length repeats a pattern), and from the
// reference on into the window. The runners copy in words of 4, 8 and 16 bytes where that
// gives the same bytes; these windows hold every length and distance around those widths.

type Instruction =
  | { kind: 'add'; bytes: Uint8Array }
  | { kind: 'run'; byte: number; size: number }
  /** From `back` bytes before the copy's own position (the window or, before it, the segment). */
  | { kind: 'copy'; back: number; size: number };

const REFERENCE = Uint8Array.from({ length: 300 }, (_, index) => (index * 37 + 11) % 251);

/** RFC 3284's decode of the instructions, one byte at a time: what the runners must give. */
function expected(instructions: readonly Instruction[]): Uint8Array {
  const target: number[] = [];
  for (const instruction of instructions) {
    if (instruction.kind === 'add') target.push(...instruction.bytes);
    else if (instruction.kind === 'run')
      for (let index = 0; index < instruction.size; index++) target.push(instruction.byte);
    else {
      const address = REFERENCE.length + target.length - instruction.back;
      for (let index = 0; index < instruction.size; index++) {
        const at = address + index;
        target.push(at < REFERENCE.length ? REFERENCE[at]! : target[at - REFERENCE.length]!);
      }
    }
  }
  return Uint8Array.from(target);
}

/**
 * One window over the whole reference, in the default code table's single instructions with
 * their sizes in the instructions section: RUN (0), ADD (1), COPY in mode VCD_SELF (19).
 */
function delta(instructions: readonly Instruction[], targetLength: number): Uint8Array {
  const data: number[] = [];
  const codes: number[] = [];
  const addresses: number[] = [];
  let here = 0;
  for (const instruction of instructions) {
    if (instruction.kind === 'add') {
      codes.push(1, ...varint(instruction.bytes.length));
      data.push(...instruction.bytes);
      here += instruction.bytes.length;
    } else if (instruction.kind === 'run') {
      codes.push(0, ...varint(instruction.size));
      data.push(instruction.byte);
      here += instruction.size;
    } else {
      codes.push(19, ...varint(instruction.size));
      addresses.push(...varint(REFERENCE.length + here - instruction.back));
      here += instruction.size;
    }
  }
  return Uint8Array.from([
    ...VCDIFF_HEADER,
    ...vcdiffWindow({
      indicator: 0x01, // VCD_SOURCE
      segment: { length: REFERENCE.length, position: 0 },
      targetLength,
      data,
      instructions: codes,
      addresses,
    }),
  ]);
}

/** Instructions whose copies reach back no further than the segment and the window before. */
const instructionsArbitrary = fc
  .array(
    fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
      }),
      fc.record({
        kind: fc.constant('run' as const),
        byte: fc.integer({ min: 0, max: 255 }),
        size: fc.integer({ min: 1, max: 70 }),
      }),
      fc.record({
        kind: fc.constant('copy' as const),
        back: fc.integer({ min: 1, max: 40 }),
        size: fc.integer({ min: 1, max: 90 }),
      }),
      // Far back: from the reference, some running on into the window.
      fc.record({
        kind: fc.constant('copy' as const),
        back: fc.integer({ min: 41, max: REFERENCE.length }),
        size: fc.integer({ min: 1, max: 90 }),
      }),
    ),
    { minLength: 1, maxLength: 60 },
  )
  .map((instructions) => {
    // A copy reaches back at most to the segment's start.
    let here = 0;
    return instructions.map((instruction) => {
      const bounded =
        instruction.kind === 'copy'
          ? { ...instruction, back: Math.min(instruction.back, REFERENCE.length + here) }
          : instruction;
      here += instruction.kind === 'add' ? instruction.bytes.length : instruction.size;
      return bounded;
    });
  });

async function decoded(bytes: Uint8Array, runner: 'webassembly' | 'typescript'): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const deltaBytes = (async function* () {
    yield bytes;
  })();
  for await (const part of decodeWindows(bytesSource(REFERENCE), deltaBytes, { runner }))
    parts.push(Uint8Array.from(part));
  return Buffer.concat(parts);
}

describe('COPY instructions of every length and distance', () => {
  it.each(['webassembly', 'typescript'] as const)(
    'come out byte for byte as RFC 3284 says, windows run in %s',
    async (runner) => {
      await fc.assert(
        fc.asyncProperty(instructionsArbitrary, async (instructions) => {
          const wanted = expected(instructions);
          const got = await decoded(delta(instructions, wanted.length), runner);
          expect(Buffer.from(got).equals(Buffer.from(wanted))).toBe(true);
        }),
        { numRuns: 400, seed: 20261205 },
      );
    },
  );
});
