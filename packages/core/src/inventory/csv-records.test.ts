import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecords, parseLine } from './csv-records.js';

/** RFC 4180 writing: every field quoted, quotes doubled. */
const toCsv = (records: readonly (readonly string[])[]) =>
  records
    .map((fields) => `${fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')}\n`)
    .join('');

function readAll(pieces: readonly string[]): string[][] {
  const reader = new CsvRecords();
  const records = pieces.flatMap((piece) => reader.push(piece));
  const end = reader.end();
  expect(end.unfinished).toBe(false);
  return [...records, ...end.records];
}

describe('CsvRecords', () => {
  it('reads the lines S3 Inventory writes', () => {
    const text =
      '"bucket","releases/app-1.0.zip.delta","1234","abc123"\n"bucket","a+b%2Bc","0",""\n';
    expect(readAll([text])).toEqual([
      ['bucket', 'releases/app-1.0.zip.delta', '1234', 'abc123'],
      ['bucket', 'a+b%2Bc', '0', ''],
    ]);
  });

  it('reads quoted commas, doubled quotes, line breaks, CRLF and unquoted fields', () => {
    expect(parseLine('"a,b","say ""hi""",plain,')).toEqual(['a,b', 'say "hi"', 'plain', '']);
    expect(readAll(['"x","line\none"\r\n', 'u,v\r\n'])).toEqual([
      ['x', 'line\none'],
      ['u', 'v'],
    ]);
    expect(readAll(['"no final newline"'])).toEqual([['no final newline']]);
  });

  it('gives the same records however the text is cut', () => {
    const field = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', 'é', ' ', '%') });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (records, cuts) => {
          const text = toCsv(records);
          const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort(
            (a, b) => a - b,
          );
          const pieces = [0, ...points].map((start, index) =>
            text.slice(start, [...points, text.length][index]),
          );
          expect(readAll(pieces)).toEqual(records);
        },
      ),
    );
  });

  it('says when the text ends inside a quoted field, and refuses a runaway record', () => {
    const reader = new CsvRecords();
    expect(reader.push('"a","b\n')).toEqual([]);
    expect(reader.end().unfinished).toBe(true);
    const runaway = new CsvRecords();
    expect(() => runaway.push(`"${'x\n'.repeat(40_000)}`)).toThrow(/runs past 65536 characters/);
  });
});
