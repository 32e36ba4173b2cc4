import { ReservedKeyError } from '../errors/reserved-key-error.js';
import { sha256OfText } from '../hashing/pure-hashes.js';
import { unquoteEtag } from './listing-facts.js';

// The bucket layout the Python DeltaGlider writes and deltaglider_proxy reads, in one place:
// every key name core makes or recognises is spelt here.

/** Where DeltaGlider keeps its own files (stats caches); never user data. */
export const INTERNAL_PREFIX = '.deltaglider/';
/**
 * `.deltaglider/originals.json`: every delta's original size learnt from a HEAD, keyed by key
 * and ETag, so sampled and detailed stats HEAD only what changed since.
 */
export const KNOWN_ORIGINALS_KEY = `${INTERNAL_PREFIX}originals.json`;

/**
 * Where a mode's stats cache lives: `.deltaglider/stats_{mode}.json` for the whole bucket, as
 * the Python tool names it; stats of a prefix get their own file, named by a hash of the prefix.
 */
export function statsCacheKey(mode: string, prefix = ''): string {
  const directory = normalizePrefix(prefix);
  if (directory === '') return `${INTERNAL_PREFIX}stats_${mode}.json`;
  return `${INTERNAL_PREFIX}stats_${mode}.prefix-${sha256OfText(directory).slice(0, 16)}.json`;
}

/**
 * Our cache's key when another tool's cache occupies the shared one:
 * `.deltaglider/stats_quick.json` -> `.deltaglider/stats_quick.deltaglider-ts.json`.
 */
export function ownStatsCacheKey(sharedKey: string): string {
  return sharedKey.replace(/\.json$/, '.deltaglider-ts.json');
}

/**
 * The one prefix normaliser: a prefix names a directory, so `releases`, `releases/` and
 * `/releases/` all mean the keys under `releases/`; `""` and `/` mean the whole bucket. Stats,
 * their cache keys and the exporter's labels all go through it, so they agree.
 */
export function normalizePrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === '' || prefix === '/') return '';
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** Where deltaglider_proxy keeps its own files (listing facts under `.dg/facts/`). */
export const PROXY_INTERNAL_PREFIX = '.dg/';
/** Scratch objects of the conditional-write probe (and gc's clock); a killed process's go on gc. */
export const PROBES_PREFIX = `${INTERNAL_PREFIX}probes/`;
/** `gc`'s note that a reference had no delta, stamped by the server when first seen so. */
export const UNREFERENCED_PREFIX = `${INTERNAL_PREFIX}unreferenced/`;
/** `gc`'s note that it is deleting a reference, present from before its check until after. */
export const RETIRING_PREFIX = `${INTERNAL_PREFIX}retiring/`;
/** What earlier versions of this tool wrote to coordinate reference changes; gc removes them. */
export const LEGACY_INTENTS_PREFIX = `${INTERNAL_PREFIX}reference-intents/`;

/** gc's mark on a reference: names it and the ETag it vouches for, `<prefix><key>.<etag>`. */
export function unreferencedMarkerKey(referenceKey: string, etag: string): string {
  return `${UNREFERENCED_PREFIX}${referenceKey}.${unquoteEtag(etag)}`;
}

/** gc's tombstone of a reference it is deleting, named as its mark is. */
export function retiringTombstoneKey(referenceKey: string, etag: string): string {
  return `${RETIRING_PREFIX}${referenceKey}.${unquoteEtag(etag)}`;
}

/** Each deltaspace's reference: the file its deltas are made against. */
export const REFERENCE_NAME = 'reference.bin';
/** A delta is stored under the user's key plus this suffix. */
export const DELTA_SUFFIX = '.delta';

export type KeyKind = 'reference' | 'delta' | 'direct' | 'internal';

export interface ClassifiedKey {
  readonly kind: KeyKind;
  /** The key's directory (text before its last `/`); `""` is the bucket root. */
  readonly deltaspace: string;
}

/** What a stored key is, from its name alone, as the Python DeltaGlider lays buckets out. */
export function classifyKey(key: string): ClassifiedKey {
  const slash = key.lastIndexOf('/');
  const deltaspace = slash === -1 ? '' : key.slice(0, slash);
  const name = key.slice(slash + 1);
  if (isInternalKey(key)) return { kind: 'internal', deltaspace };
  if (name === REFERENCE_NAME) return { kind: 'reference', deltaspace };
  if (name.endsWith(DELTA_SUFFIX)) return { kind: 'delta', deltaspace };
  return { kind: 'direct', deltaspace };
}

/** Whether a key (or a listing's common prefix) belongs to DeltaGlider or the proxy. */
export function isInternalKey(key: string): boolean {
  return key.startsWith(INTERNAL_PREFIX) || key.startsWith(PROXY_INTERNAL_PREFIX);
}

/** The internal namespace a key is in, for messages; undefined for user keys. */
function internalPrefixOf(key: string): string | undefined {
  if (key.startsWith(INTERNAL_PREFIX)) return INTERNAL_PREFIX;
  return key.startsWith(PROXY_INTERNAL_PREFIX) ? PROXY_INTERNAL_PREFIX : undefined;
}

/** Why a key in an internal namespace is refused, naming whose files live there. */
export function internalKeyReason(key: string): string | undefined {
  const prefix = internalPrefixOf(key);
  if (prefix === undefined) return undefined;
  return prefix === INTERNAL_PREFIX
    ? `${INTERNAL_PREFIX} holds DeltaGlider's own files`
    : `${PROXY_INTERNAL_PREFIX} holds deltaglider_proxy's own files`;
}

/** The key of a deltaspace's reference. */
export function referenceKeyOf(deltaspace: string): string {
  return deltaspace === '' ? REFERENCE_NAME : `${deltaspace}/${REFERENCE_NAME}`;
}

/** The file name in a key: the text after its last `/`. */
export function nameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

export function isDeltaKey(key: string): boolean {
  return key.endsWith(DELTA_SUFFIX);
}

/** Where the delta of a user's key is stored: `dir/x.zip` → `dir/x.zip.delta`. */
export function deltaKeyOf(userKey: string): string {
  return `${userKey}${DELTA_SUFFIX}`;
}

/** The name users know for a stored key: `x.zip` for `x.zip.delta`, any other key itself. */
export function userKeyOf(storedKey: string): string {
  return isDeltaKey(storedKey) ? storedKey.slice(0, -DELTA_SUFFIX.length) : storedKey;
}

/** Throws `ReservedKeyError` when an upload to `key` would replace DeltaGlider's own files. */
export function refuseReservedKey(key: string): void {
  const name = nameOf(key);
  if (name === '') throw new ReservedKeyError(key, 'a key must name a file');
  const internal = internalKeyReason(key);
  if (internal) throw new ReservedKeyError(key, internal);
  if (name === REFERENCE_NAME)
    throw new ReservedKeyError(key, `${REFERENCE_NAME} is the deltaspace reference`);
  if (isDeltaKey(name))
    throw new ReservedKeyError(key, `${DELTA_SUFFIX} names are DeltaGlider deltas`);
}
