import { describe, expect, it } from 'vitest';
import { ByteReader } from './byte-reader.js';
import { varint } from './test-support/vcdiff-bytes.js';
import { WindowDecoder } from './window-decoder.js';

// A window's dry run, before it runs: the copies it makes from its segment, listed one by one
// only while they are few (their listing is memory), and its reads of the reference.

/** A window of 40 bytes: ten 4-byte COPYs (VCD_SELF) from every 100th byte of its segment. */
function tenCopies() {
  const instructions = Array.from({ length: 10 }, () => 20); // COPY, size 4, mode 0
  const addresses = Array.from({ length: 10 }, (_, copy) => varint(100 * copy)).flat();
  const encoding = [
    ...varint(40),
    0,
    0, // no data
    ...varint(instructions.length),
    ...varint(addresses.length),
    ...instructions,
    ...addresses,
  ];
  const bytes = Uint8Array.from(encoding);
  const VCD_SOURCE = 0x01;
  return new WindowDecoder({ secondary: undefined }).read(
    new ByteReader(bytes, 0, bytes.length, 'window'),
    VCD_SOURCE,
    1000,
  );
}

describe('a window dry run', () => {
  it('lists its copies from the segment, in window order, at their reference offsets', () => {
    const copies = tenCopies().sourceCopies(5000, 10);
    expect(copies).toHaveLength(10);
    expect(copies?.[0]).toEqual({ here: 0, start: 5000, size: 4 });
    expect(copies?.[9]).toEqual({ here: 36, start: 5900, size: 4 });
  });

  it('lists none where they are more than it may list, and stops there', () => {
    expect(tenCopies().sourceCopies(5000, 9)).toBeUndefined();
  });

  it('says what they read without listing them: blocks for the short ones, the long ones whole', () => {
    const window = tenCopies();
    expect(window.sourceReads(5000, 1024, 64)).toEqual({ blocks: new Set([4, 5]), direct: [] });
    expect(window.sourceReads(5000, 1024, 4).direct).toHaveLength(10);
  });
});
