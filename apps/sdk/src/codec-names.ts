/**
 * Which delta codec a client uses: `xdelta3` runs the program (as the Python tool does), `ts` is
 * the TypeScript codec (nothing to install), `auto` encodes with the program when it is
 * installed and with the TypeScript codec otherwise, or where it beats the program at the
 * levels set, and decodes with the TypeScript codec every delta it reads (see `chooseCodec`).
 * Both read each other's deltas.
 */
export const codecNames = ['auto', 'xdelta3', 'ts'] as const;
export type CodecName = (typeof codecNames)[number];
