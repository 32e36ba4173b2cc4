// deltaglider_proxy 2.0's listing facts, read and written as the proxy does
// (src/storage/listing_facts.rs): for every delta, a zero-byte object whose key carries the
// delta's original size and ETag, so a LIST tells what would otherwise take one HEAD per delta.
//
//   .dg/facts/<enc(stored key)>!!1.<stored etag>.<stored size>.<original size>.<original etag>
//
// `enc` writes each character 0x00..0x21 as `!` followed by the character 0x22 + c and keeps
// every other one. It keeps byte order (facts keys sort as their stored keys do), `/` stays `/`,
// and `!!` never occurs inside `enc(key)`, so it ends the key part. Everything here is pure: an
// S3 Inventory reader parses facts keys with the same functions.

/** The facts namespace at the root of a bucket. */
export const FACTS_PREFIX = '.dg/facts/';
/** The first key after every facts key (`0` follows `/`): where a listing resumes past them. */
export const PAST_FACTS = '.dg/facts0';

const TERMINATOR = '!!';
const PAYLOAD_VERSION = '1';
/** S3's key length limit, in UTF-8 bytes. A stored key whose facts key is longer gets none. */
const MAX_KEY_BYTES = 1024;
const LAST_ESCAPED = 0x21;
const ESCAPE_OFFSET = 0x22;
const ETAG_PATTERN = /^[A-Za-z0-9-]+$/;
// As the proxy's Rust `u64` parse reads them: digits, an optional leading `+`.
const DECIMAL_PATTERN = /^\+?[0-9]+$/;

/** A stored object and the original file it holds, as one facts entry says. */
export interface ListingFact {
  readonly storedKey: string;
  /** Unquoted. */
  readonly storedEtag: string;
  readonly storedSize: number;
  readonly originalSize: number;
  /** Unquoted: the MD5 a plain PUT of the original would have had (`md5` or `md5-N`). */
  readonly originalEtag: string;
}

export function isFactsKey(key: string): boolean {
  return key.startsWith(FACTS_PREFIX);
}

/** Order-preserving, prefix-free encoding of a stored key (or of a prefix of one). */
export function encodeFactsKeyPart(key: string): string {
  let encoded = '';
  for (const character of key) {
    const code = character.codePointAt(0)!;
    encoded += code <= LAST_ESCAPED ? `!${String.fromCharCode(ESCAPE_OFFSET + code)}` : character;
  }
  return encoded;
}

function decodeFactsKeyPart(encoded: string): string | undefined {
  let decoded = '';
  for (let index = 0; index < encoded.length; index++) {
    const character = encoded[index]!;
    if (character !== '!') {
      decoded += character;
      continue;
    }
    const code = encoded.charCodeAt(++index) - ESCAPE_OFFSET;
    if (!(code >= 0 && code <= LAST_ESCAPED)) return undefined;
    decoded += String.fromCharCode(code);
  }
  return decoded;
}

/** Where every facts entry of keys under `prefix` lives (`""`: the whole namespace). */
export function factsPrefixOf(prefix: string): string {
  return `${FACTS_PREFIX}${encodeFactsKeyPart(prefix)}`;
}

/** The prefix every facts entry of exactly this stored key starts with, and no other's. */
export function factsPrefixOfKey(storedKey: string): string {
  return `${factsPrefixOf(storedKey)}${TERMINATOR}`;
}

/**
 * The facts key of one stored object, or undefined when it needs none (it already lists as its
 * original) or cannot have one (an ETag outside `[A-Za-z0-9-]`, a key over 1024 bytes).
 */
export function factsKeyOf(fact: ListingFact): string | undefined {
  const storedEtag = unquoteEtag(fact.storedEtag);
  const originalEtag = unquoteEtag(fact.originalEtag);
  if (!ETAG_PATTERN.test(storedEtag) || !ETAG_PATTERN.test(originalEtag)) return undefined;
  if (fact.storedSize === fact.originalSize && storedEtag === originalEtag) return undefined;
  const key = `${factsPrefixOfKey(fact.storedKey)}${PAYLOAD_VERSION}.${storedEtag}.${fact.storedSize}.${fact.originalSize}.${originalEtag}`;
  return utf8Length(key) <= MAX_KEY_BYTES ? key : undefined;
}

/** One facts key's entry, or undefined for anything that is not one in this format. */
export function parseFactsKey(key: string): ListingFact | undefined {
  if (!isFactsKey(key)) return undefined;
  const rest = key.slice(FACTS_PREFIX.length);
  const end = rest.indexOf(TERMINATOR);
  if (end === -1) return undefined;
  const fields = rest.slice(end + TERMINATOR.length).split('.');
  if (fields.length !== 5 || fields[0] !== PAYLOAD_VERSION) return undefined;
  const [, storedEtag, storedSize, originalSize, originalEtag] = fields as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!ETAG_PATTERN.test(storedEtag) || !ETAG_PATTERN.test(originalEtag)) return undefined;
  const sizes = [storedSize, originalSize].map(parseSize);
  if (sizes[0] === undefined || sizes[1] === undefined) return undefined;
  const storedKey = decodeFactsKeyPart(rest.slice(0, end));
  if (storedKey === undefined) return undefined;
  return { storedKey, storedEtag, storedSize: sizes[0], originalSize: sizes[1], originalEtag };
}

/** What the facts say of one listed object: applies only with its key, ETag and size. */
export type FactsVerdict =
  | { readonly kind: 'none' }
  | { readonly kind: 'applies'; readonly originalSize: number; readonly originalEtag: string }
  /** Two entries for this very object disagree: neither applies. */
  | { readonly kind: 'conflicting' };

export function factsFor(
  entries: Iterable<ListingFact>,
  stored: { readonly etag: string; readonly size: number },
): FactsVerdict {
  const etag = unquoteEtag(stored.etag);
  let found: ListingFact | undefined;
  for (const entry of entries) {
    if (entry.storedEtag !== etag || entry.storedSize !== stored.size) continue;
    if (
      found &&
      (found.originalSize !== entry.originalSize || found.originalEtag !== entry.originalEtag)
    )
      return { kind: 'conflicting' };
    found = entry;
  }
  return found
    ? { kind: 'applies', originalSize: found.originalSize, originalEtag: found.originalEtag }
    : { kind: 'none' };
}

export function unquoteEtag(etag: string): string {
  return etag.replace(/^"+|"+$/g, '');
}

function parseSize(text: string): number | undefined {
  if (!DECIMAL_PATTERN.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
