// A streaming reader of CSV records (RFC 4180: fields in double quotes may hold commas, line
// breaks and `""` for a quote), fed text as it is decompressed. S3 Inventory quotes every
// field and URL-encodes keys, so almost every line takes the fast path: one split.

/**
 * No record of an inventory comes near this (a key is at most 1,024 bytes, 3 characters each
 * URL-encoded): text that does is not such a file, and is refused before it fills memory.
 */
const MAX_RECORD_CHARS = 64 * 1024;

function tooLong(): string {
  return `a record runs past ${MAX_RECORD_CHARS} characters (an unclosed quote?)`;
}

/** Splits text fed in any pieces into records; `end` says whether the text stopped mid-record. */
export class CsvRecords {
  private carry = '';

  /** The records completed by this piece of text. */
  push(text: string): string[][] {
    const records: string[][] = [];
    const buffer = this.carry + text;
    let start = 0;
    let newline = buffer.indexOf('\n', start);
    while (newline !== -1) {
      const fields = recordIn(buffer, start, newline);
      if (fields === undefined) {
        // A quoted field holds a line break: the record goes on past it.
        if (newline - start > MAX_RECORD_CHARS) throw new Error(tooLong());
        newline = buffer.indexOf('\n', newline + 1);
        continue;
      }
      if (fields.length > 0) records.push(fields);
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    this.carry = buffer.slice(start);
    if (this.carry.length > MAX_RECORD_CHARS) throw new Error(tooLong());
    return records;
  }

  /** What is left at the end of the text: a last record without a line break, or an error. */
  end(): { records: string[][]; unfinished: boolean } {
    const rest = this.carry;
    this.carry = '';
    const fields = recordIn(rest, 0, rest.length);
    if (fields === undefined) return { records: [], unfinished: true };
    return { records: fields.length > 0 ? [fields] : [], unfinished: false };
  }
}

/** The record in `text` from `start` to `end` (a line break, or the end), `\r\n` allowed. */
function recordIn(text: string, start: number, end: number): string[] | undefined {
  const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
  return stop === start ? [] : parseLine(text.slice(start, stop));
}

/** One record's fields, or undefined when a quoted field is still open at the end of `line`. */
export function parseLine(line: string): string[] | undefined {
  // The shape S3 Inventory writes: every field quoted, no quote inside any.
  if (
    line.length >= 2 &&
    line.charCodeAt(0) === 34 &&
    line.charCodeAt(line.length - 1) === 34 &&
    !line.includes('""')
  ) {
    const fields = line.slice(1, -1).split('","');
    if (!fields.some((field) => field.includes('"'))) return fields;
  }
  return parseQuoted(line);
}

function parseQuoted(line: string): string[] | undefined {
  const fields: string[] = [];
  let index = 0;
  for (;;) {
    if (line.charCodeAt(index) === 34) {
      let value = '';
      let from = index + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote === -1) return undefined;
        value += line.slice(from, quote);
        if (line.charCodeAt(quote + 1) === 34) {
          value += '"';
          from = quote + 2;
          continue;
        }
        index = quote + 1;
        break;
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', index);
      fields.push(line.slice(index, comma === -1 ? line.length : comma));
      if (comma === -1) return fields;
      index = comma + 1;
      continue;
    }
    if (index >= line.length) return fields;
    // After a closing quote only a comma may follow; anything else is kept as text.
    if (line.charCodeAt(index) === 44) index++;
    else {
      const comma = line.indexOf(',', index);
      fields[fields.length - 1] += line.slice(index, comma === -1 ? line.length : comma);
      if (comma === -1) return fields;
      index = comma + 1;
    }
    if (index === line.length) {
      fields.push('');
      return fields;
    }
  }
}
