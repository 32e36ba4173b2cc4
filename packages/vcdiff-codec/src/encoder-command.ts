/**
 * What a delta made by this codec records as its `dg-delta-cmd`: not a program anyone can run,
 * but an honest name for the encoder; the delta itself is plain VCDIFF that `xdelta3 -d` reads.
 */
export const VCDIFF_ENCODER_COMMAND = 'deltaglider-vcdiff -e';
