import { DamagedObjectError } from '../errors/damaged-object-error.js';
import { ObjectNotFoundError } from '../errors/object-not-found-error.js';
import { ReservedKeyError } from '../errors/reserved-key-error.js';
import {
  classifyKey,
  deltaKeyOf,
  internalKeyReason,
  isDeltaKey,
  PROBES_PREFIX,
  PROXY_INTERNAL_PREFIX,
  RETIRING_PREFIX,
  UNREFERENCED_PREFIX,
  userKeyOf,
} from '../layout/bucket-layout.js';
import { deleteObjects } from '../listing/delete-objects.js';
import { listAllObjects } from '../listing/list-all-objects.js';
import type { ListingFactsKeeper } from '../listing/listing-facts-keeper.js';
import type { DeleteManyResult, ObjectStore } from '../ports/object-store.js';

export interface RemovalResult {
  /** Keys deleted (or, in a dry run, that would be). */
  readonly deleted: readonly string[];
  readonly failed: readonly { key: string; message: string }[];
}

export interface RemovalOptions {
  readonly signal?: AbortSignal | undefined;
  /** Called for each key once its deletion has landed (or, in a dry run, would). */
  readonly onRemoved?: ((key: string) => void) | undefined;
  /** Deletes the listing facts of what is removed; none: facts are not touched. */
  readonly listingFacts?: ListingFactsKeeper | undefined;
}

export interface RecursiveRemovalOptions extends RemovalOptions {
  /** Lists what would go (through `onRemoved`) and removes nothing. */
  readonly dryRun?: boolean | undefined;
  /**
   * Which files to remove, by their user name below the prefix (`--exclude`/`--include`, see
   * `keyFilter`); none: all of them.
   */
  readonly filter?: ((relativeKey: string) => boolean) | undefined;
}

/**
 * Removes one file by its user or stored name. The deltaspace's reference stays, even after its
 * last delta: whether a delta is left cannot be told safely here (a listing may lag behind an
 * upload writing one), so `gc` frees unreferenced references after a grace period.
 */
export async function removeObject(
  store: ObjectStore,
  bucket: string,
  key: string,
  options: RemovalOptions = {},
): Promise<RemovalResult> {
  const request = options.signal ? { signal: options.signal } : {};
  const userKey = userKeyOf(key);
  const candidates = isDeltaKey(key) ? [key] : [key, deltaKeyOf(key)];
  const { kind: named } = classifyKey(key);
  if (named === 'reference')
    throw new ReservedKeyError(
      key,
      "it is its directory's delta reference; deltaglider gc frees it once no delta has used it for its grace period",
      'remove',
    );
  if (named === 'internal') throw new ReservedKeyError(key, internalKeyReason(key)!, 'remove');
  const deleted: string[] = [];
  for (const candidate of candidates) {
    if (await exists(store, bucket, candidate, request)) {
      await store.delete(bucket, candidate, request);
      deleted.push(candidate);
    }
  }
  if (deleted.length === 0) throw new ObjectNotFoundError(bucket, userKey);
  await options.listingFacts?.forgetKeys(bucket, deleted.filter(isDeltaKey), request);
  return { deleted, failed: [] };
}

/**
 * Removes everything under a directory prefix (`""`: the whole bucket, our caches included;
 * the proxy's `.dg/` stays, less the listing facts of what was removed). References stay, for
 * `gc` to free once no delta has used them for its grace period.
 */
export async function removeRecursive(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  options: RecursiveRemovalOptions = {},
): Promise<RemovalResult> {
  const request = options.signal ? { signal: options.signal } : {};
  const { filter } = options;
  const relativeName = (key: string) => userKeyOf(key).slice(prefix.length);
  const deleted: string[] = [];
  const failed: { key: string; message: string }[] = [];
  const report = (result: RemovalResult) => {
    deleted.push(...result.deleted);
    failed.push(...result.failed);
    for (const key of result.deleted) options.onRemoved?.(key);
  };
  // Page by page, so each object is reported as it goes.
  for await (const page of listAllObjects(store, bucket, { prefix, ...request })) {
    const removable = page
      .map((object) => object.key)
      .filter((key) => isRemovedRecursively(key) && (filter?.(relativeName(key)) ?? true));
    if (options.dryRun) report({ deleted: removable, failed: [] });
    else report(toRemovalResult(await deleteObjects(store, bucket, removable, request)));
  }
  if (!options.dryRun)
    await options.listingFacts?.forgetUnder(bucket, prefix, new Set(deleted), request);
  return { deleted, failed };
}

const keptByRecursiveRemoval = [
  PROXY_INTERNAL_PREFIX,
  PROBES_PREFIX,
  UNREFERENCED_PREFIX,
  RETIRING_PREFIX,
] as const;

/**
 * What `rm -r` removes: files, deltas and our caches; not references and gc's notes on them
 * (a tombstone must stand until its retirement ends), not the scratch objects of running
 * processes, not the proxy's `.dg/`.
 */
function isRemovedRecursively(key: string): boolean {
  if (keptByRecursiveRemoval.some((prefix) => key.startsWith(prefix))) return false;
  return classifyKey(key).kind !== 'reference';
}

function toRemovalResult(result: DeleteManyResult): RemovalResult {
  return {
    deleted: result.deleted,
    failed: result.failed.map(({ key, message }) => ({ key, message })),
  };
}

/** Whether a key holds something to remove; a damaged object counts, so `rm` can clear it. */
async function exists(
  store: ObjectStore,
  bucket: string,
  key: string,
  request: { signal?: AbortSignal },
): Promise<boolean> {
  try {
    return (await store.head(bucket, key, request)) !== null;
  } catch (error) {
    if (DamagedObjectError.isInstance(error)) return true;
    throw error;
  }
}
