/**
 * Orders keys by their UTF-8 bytes, as S3 lists them.
 *
 * JavaScript compares strings by UTF-16 code units, which agrees with UTF-8 byte order except
 * between surrogates (U+D800-U+DFFF, astral characters) and U+E000-U+FFFF. Only at the first
 * differing unit do we remap those two ranges, so the common case costs one loop.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a.charCodeAt(index);
    const right = b.charCodeAt(index);
    if (left !== right) return utf8Rank(left) - utf8Rank(right);
  }
  return a.length - b.length;
}

function utf8Rank(codeUnit: number): number {
  if (codeUnit >= 0xd800 && codeUnit <= 0xdfff) return codeUnit + 0x2000;
  if (codeUnit >= 0xe000) return codeUnit - 0x800;
  return codeUnit;
}
