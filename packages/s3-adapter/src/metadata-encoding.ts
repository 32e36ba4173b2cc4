// S3 carries user metadata in HTTP headers, which hold only visible ASCII reliably: Node
// refuses anything above U+00FF and sends Latin-1 as raw bytes that come back garbled. AWS
// documents RFC 2047 for the rest ("=?UTF-8?B?...?="): it decodes such values on the way in
// and encodes them on the way out. So we send every other value as one UTF-8 encoded-word
// and decode encoded-words on the way back, from AWS and from servers that store them as is.

const PLAIN = /^[\x20-\x7e]*$/;
const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;
const BETWEEN_ENCODED_WORDS = /(\?=)\s+(=\?)/g;

/** A metadata value as it can travel in a header: itself when plain ASCII, else RFC 2047. */
export function encodeMetadataValue(value: string): string {
  // A plain value that merely looks encoded is encoded too, so it reads back as itself.
  if (PLAIN.test(value) && !value.includes('=?')) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** A header's metadata value as it was written: encoded-words decoded, anything else as is. */
export function decodeMetadataValue(value: string): string {
  if (!value.includes('=?')) return value;
  return value
    .replace(BETWEEN_ENCODED_WORDS, '$1$2')
    .replace(ENCODED_WORD, (word, charset: string, encoding: string, text: string) => {
      const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQ(text);
      try {
        return new TextDecoder(charset.toLowerCase(), { fatal: true }).decode(bytes);
      } catch {
        return word; // an unknown charset or bad bytes: keep what the server sent
      }
    });
}

export function encodeMetadata(
  metadata: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  if (metadata === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(metadata).map(([name, value]) => [name, encodeMetadataValue(value)]),
  );
}

export function decodeMetadata(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).map(([name, value]) => [name, decodeMetadataValue(value)]),
  );
}

/** RFC 2047 "Q": `_` is a space, `=XX` a byte. */
function decodeQ(text: string): Buffer {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '_') bytes.push(0x20);
    else if (char === '=' && /^[0-9a-fA-F]{2}$/.test(text.slice(index + 1, index + 3))) {
      bytes.push(Number.parseInt(text.slice(index + 1, index + 3), 16));
      index += 2;
    } else bytes.push(text.charCodeAt(index));
  }
  return Buffer.from(bytes);
}
