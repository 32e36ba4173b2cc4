import * as z from 'zod/mini';

/**
 * Who wrote a document found at `.deltaglider/stats_{mode}.json`. Other tools write that same
 * key: the Python DeltaGlider (`"version": "1.0"`, no listing fingerprint) and its successor
 * deltaglider_proxy (`"version": "2.0"`, its own `stats` fields). Theirs are left exactly as
 * they are (docs/cache-format.md, "Sharing a bucket with other tools").
 *
 * - `ours`: it carries our listing fingerprint (whatever else may be wrong with it).
 * - `foreign`: a well-formed cache of another tool.
 * - `damaged`: neither; ours to replace.
 */
export type CacheWriter =
  | { readonly kind: 'ours' }
  | { readonly kind: 'foreign'; readonly writer: string }
  | { readonly kind: 'damaged' };

const count = z.int().check(z.nonnegative());

/** What every tool's stats cache has: the Python format's envelope. */
const foreignCacheShape = z.object({
  version: z.string(),
  mode: z.string(),
  computed_at: z.string(),
  validation: z.object({ object_count: count, compressed_size: count }),
  stats: z.record(z.string(), z.unknown()),
});

export function identifyCacheWriter(document: unknown): CacheWriter {
  if (typeof document !== 'object' || document === null) return { kind: 'damaged' };
  const validation = (document as { validation?: unknown }).validation;
  if (
    typeof validation === 'object' &&
    validation !== null &&
    typeof (validation as { fingerprint?: unknown }).fingerprint === 'string'
  ) {
    return { kind: 'ours' };
  }
  const foreign = foreignCacheShape.safeParse(document);
  if (!foreign.success) return { kind: 'damaged' };
  return { kind: 'foreign', writer: writerOfVersion(foreign.data.version) };
}

function writerOfVersion(version: string): string {
  if (version === '2.0') return 'deltaglider_proxy';
  if (version === '1.0') return 'the Python DeltaGlider';
  return `another tool (cache version ${JSON.stringify(version)})`;
}
