import { describe, expect, it } from 'vitest';
import { prefilledSegment, unlistedSegment } from './source-segment.js';
import { straightSpans } from './straight-spans.js';

describe('straightSpans', () => {
  it('joins copies at the same distance a few KiB apart, and no others', () => {
    const copies = [
      { here: 0, start: 100, size: 1000 },
      { here: 1003, start: 1103, size: 50 }, // 3 bytes later, same distance: joined
      { here: 1060, start: 5000, size: 20 }, // from elsewhere: a span of its own
      { here: 1080, start: 1180, size: 500 }, // back at the first distance, after a break
      { here: 1580 + 4097, start: 1680 + 4097, size: 10 }, // same distance, too far on
    ];
    expect(straightSpans(copies)).toEqual([
      { here: 0, start: 100, size: 1053 },
      { here: 1060, start: 5000, size: 20 },
      { here: 1080, start: 1180, size: 500 },
      { here: 5677, start: 5777, size: 10 },
    ]);
  });
});

describe('prefilledSegment', () => {
  it('skips a copy inside a span that reads what the span read, and runs every other', () => {
    const ran: number[] = [];
    const segment = {
      length: 10_000,
      copyTo: (_target: Uint8Array, here: number) => void ran.push(here),
    };
    // The segment starts at reference offset 1000; one span: window 0..1053 from 1100.
    const spans = [{ here: 0, start: 1100, size: 1053 }];
    const filled = prefilledSegment(segment, 1000, spans);
    const target = new Uint8Array(2000);
    filled.copyTo(target, 0, 100, 1000); // in the span, same distance: skipped
    filled.copyTo(target, 1000, 5000, 3); // in the span, from elsewhere: run
    filled.copyTo(target, 1003, 103 + 1000, 50); // in the span, same distance: skipped
    filled.copyTo(target, 1050, 1150, 10); // runs past the span's end: run
    expect(ran).toEqual([1000, 1050]);
  });

  it('fails loudly, not with wrong bytes, on a copy no span read', () => {
    const filled = prefilledSegment(unlistedSegment(100), 0, [{ here: 0, start: 0, size: 10 }]);
    expect(() => filled.copyTo(new Uint8Array(100), 20, 20, 5)).toThrow(/window offset 20/);
  });
});
