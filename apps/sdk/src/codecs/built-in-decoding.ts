import type { DeltaCodec } from '@deltaglider/core';
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
    ...(program.encoderCommand === undefined ? {} : { encoderCommand: program.encoderCommand }),
    encode: (reference, target, options) => program.encode(reference, target, options),
    async *decode(reference, delta, options) {
      const chunks = delta[Symbol.asyncIterator]();
      const head: Uint8Array[] = [];
      let reads: boolean | undefined;
      let ended = false;
      try {
        // The header is in the delta's first bytes: a chunk or two, held until it is decided.
        while (reads === undefined) {
          const next = await chunks.next();
          if (next.done) {
            ended = true;
            break;
          }
          head.push(next.value);
          reads = readsDeltaHeader(head.length === 1 ? next.value : Buffer.concat(head));
        }
      } catch (error) {
        await chunks.return?.();
        throw error;
      }
      const codec = reads ? builtIn : program;
      yield* codec.decode(reference, replayed(head, ended ? undefined : chunks), options);
    },
  };
}

/** The chunks already taken, then the rest of `chunks`, which is closed however this ends. */
async function* replayed(
  taken: readonly Uint8Array[],
  chunks: AsyncIterator<Uint8Array> | undefined,
): AsyncIterable<Uint8Array> {
  try {
    yield* taken;
    if (!chunks) return;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await chunks?.return?.();
  }
}
