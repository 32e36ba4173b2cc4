/** Where DeltaGlider keeps its own files (stats caches); never user data. */
export const INTERNAL_PREFIX = '.deltaglider/';

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
  if (key.startsWith(INTERNAL_PREFIX)) return { kind: 'internal', deltaspace };
  if (name === 'reference.bin') return { kind: 'reference', deltaspace };
  if (name.endsWith('.delta')) return { kind: 'delta', deltaspace };
  return { kind: 'direct', deltaspace };
}

/** The key of a deltaspace's reference. */
export function referenceKeyOf(deltaspace: string): string {
  return deltaspace === '' ? 'reference.bin' : `${deltaspace}/reference.bin`;
}
