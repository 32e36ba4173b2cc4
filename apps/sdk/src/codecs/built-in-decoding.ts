import type { DeltaCodec } from '@deltaglider/core';
import { peekBody } from '@deltaglider/core/adapter-kit';
import { readsDeltaHeader } from '@deltaglider/vcdiff-codec';

/**
 * `program` (the xdelta3 codec), decoding with `builtIn` every delta whose header it reads: as
 * DeltaGlider runs them, the built-in decoder rebuilds every pair of the release corpus faster
 * than the program, 1.03-3.5x (BENCHMARKS.md, "Ours against xdelta3 as each is run"). What it
 * refuses from the header (xdelta3's DJW or FGK compression, files xdelta3 decompressed before
 * encoding, not a delta at all) goes to the program, as before. Encoding stays the program's.
 */
export function withBuiltInDecoding(program: DeltaCodec, builtIn: DeltaCodec): DeltaCodec {
  return {
    ...program,
    async *decode(reference, delta, options) {
      // The header is in the delta's first bytes: a chunk or two, held until it is decided.
      const { answer: reads, body } = await peekBody(delta, readsDeltaHeader);
      yield* (reads ? builtIn : program).decode(reference, body, options);
    },
  };
}
