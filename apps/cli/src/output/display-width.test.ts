import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import displayWidth from './display-width.js';

describe('displayWidth (string-width in the bundle)', () => {
  const cases = [
    '',
    'deltaglider stats <target>',
    '  --endpoint-url  Where the buckets are  [string]',
    'naïve café', // precomposed
    'nai\u0308ve', // a combining diaeresis
    '日本語のファイル',
    '한국어',
    'full-width ＡＢＣ',
    'rocket 🚀 and ✅',
    '\u001b[31mred\u001b[39m plain',
    '\u001b]8;;https://example.com\u0007link\u001b]8;;\u0007',
    'tab\there',
    'zero\u200bwidth',
    '…and — dashes',
  ];

  it.each(cases)('measures %j as string-width does', (text) => {
    expect(displayWidth(text)).toBe(stringWidth(text));
  });

  it('counts what it cannot measure as nothing', () => {
    expect(displayWidth(undefined as unknown as string)).toBe(0);
  });
});
