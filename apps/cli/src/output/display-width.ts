import { eastAsianWidth } from 'get-east-asian-width';

// The columns a string takes on a terminal, for yargs' help layout: the bundle puts this in
// place of `string-width` (tsup.config.ts), which builds an `Intl.Segmenter` when it loads
// (15 ms, once per copy: the bundle had two) and segments every string it measures, and yargs
// measures every line of a command's help each time the command runs, to keep it for later.
// Help text is ASCII, answered at once; anything else is counted by code point, which is what a
// terminal lays out, short of grapheme clusters that join several emoji into one.

// CSI sequences (colours, cursor) and OSC sequences (hyperlinks) print nothing.
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what it matches
const ANSI_ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;
// Combining marks, joiners and variation selectors add no column of their own.
const ZERO_WIDTH = /^[\p{Mark}\p{Default_Ignorable_Code_Point}]$/u;

export default function displayWidth(text: string): number {
  if (typeof text !== 'string') return 0;
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const character of text.replace(ANSI_ESCAPE, '')) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) continue;
    if (ZERO_WIDTH.test(character)) continue;
    width += eastAsianWidth(codePoint);
  }
  return width;
}
