import { describe, expect, it } from 'vitest';
import { decodeMetadataValue, encodeMetadataValue } from './metadata-encoding.js';

describe('metadata values in headers', () => {
  it('leaves plain ASCII alone and encodes everything else as one UTF-8 encoded-word', () => {
    expect(encodeMetadataValue('app-1.0.0.zip')).toBe('app-1.0.0.zip');
    expect(encodeMetadataValue('日本.zip')).toBe('=?UTF-8?B?5pel5pysLnppcA==?=');
    expect(encodeMetadataValue('tab\there')).toMatch(/^=\?UTF-8\?B\?/);
  });

  it('decodes what AWS returns: B and Q words, split words joined, other text kept', () => {
    expect(decodeMetadataValue('=?UTF-8?B?5pel5pys?= =?UTF-8?B?LnppcA==?=')).toBe('日本.zip');
    expect(decodeMetadataValue('=?utf-8?Q?caf=C3=A9_d=C3=A9j=C3=A0.zip?=')).toBe('café déjà.zip');
    expect(decodeMetadataValue('=?ISO-8859-1?Q?caf=E9?=')).toBe('café');
    expect(decodeMetadataValue('plain = value ?')).toBe('plain = value ?');
    expect(decodeMetadataValue('=?x-unknown?B?AAAA?=')).toBe('=?x-unknown?B?AAAA?=');
  });

  it('round-trips any string', () => {
    for (const value of ['', 'a', 'ünïcødé-日本', '🚀', 'e\u0301', 'ملف', '=?UTF-8?B?AA==?='])
      expect(decodeMetadataValue(encodeMetadataValue(value))).toBe(value);
  });
});
