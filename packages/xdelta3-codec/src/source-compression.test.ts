import { describe, expect, it } from 'vitest';
import { RAW_SOURCE_APPHEADER, sourceCompressionOf } from './source-compression.js';

/** A VCDIFF header with `indicator`, the secondary compressor's id, and `appHeader`. */
function header(appHeader: string | undefined, indicator = 0x01): Uint8Array {
  const text =
    appHeader === undefined ? [] : [appHeader.length, ...Buffer.from(appHeader, 'latin1')];
  return Uint8Array.from([0xd6, 0xc3, 0xc4, 0, indicator | (appHeader ? 0x04 : 0), 2, ...text]);
}

describe('sourceCompressionOf', () => {
  it('reads the source compression an application header names', () => {
    expect(sourceCompressionOf(header('new.tgz/G/old.tgz/G'))).toBe('G');
    expect(sourceCompressionOf(header(RAW_SOURCE_APPHEADER))).toBe('none');
  });

  it('answers none named for a header without one, with two fields, or no header at all', () => {
    expect(sourceCompressionOf(header('new.tgz//old.tgz/'))).toBe('');
    expect(sourceCompressionOf(header('new.tgz/G'))).toBe('');
    expect(sourceCompressionOf(header(undefined))).toBe('');
    expect(sourceCompressionOf(new TextEncoder().encode('not a delta'))).toBe('');
  });

  it('waits for more bytes while the header is cut short', () => {
    const whole = header('new.tgz/G/old.tgz/G');
    for (const length of [0, 3, 6, 7, whole.length - 1])
      expect(sourceCompressionOf(whole.subarray(0, length)), `${length} bytes`).toBeUndefined();
  });
});
