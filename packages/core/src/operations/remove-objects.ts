import {
  holdReferenceIntent,
  REFERENCE_INTENTS_PREFIX,
  type ReferenceIntentTimings,
} from '../delta/reference-intents.js';
import { DamagedObjectError } from '../errors/damaged-object-error.js';
import { ObjectNotFoundError } from '../errors/object-not-found-error.js';
import { ReservedKeyError } from '../errors/reserved-key-error.js';
import {
  classifyKey,
  deltaKeyOf,
  internalKeyReason,
  isDeltaKey,
  PROXY_INTERNAL_PREFIX,
  referenceKeyOf,
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
  readonly referenceIntentTimings?: ReferenceIntentTimings | undefined;
  /** Deletes the listing facts of what is removed; none: facts are not touched. */
  readonly listingFacts?: ListingFactsKeeper | undefined;
}

/**
 * Removes one file by its user or stored name. When it was its deltaspace's last delta, the
 * reference goes too: a reference is never removed while a delta still needs it.
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
      "it is its directory's delta reference; it goes with the directory's last delta",
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
  if (deleted.some(isDeltaKey)) {
    const { deltaspace } = classifyKey(userKey);
    const referenceKey = referenceKeyOf(deltaspace);
    if (await exists(store, bucket, referenceKey, request)) {
      const removed = await removeUnusedReferences(store, bucket, [referenceKey], options);
      deleted.push(...removed.deleted);
    }
  }
  await options.listingFacts?.forgetKeys(bucket, deleted.filter(isDeltaKey), request);
  return { deleted, failed: [] };
}

/**
 * Removes everything under a directory prefix (`""`: the whole bucket, our caches included;
 * the proxy's `.dg/` stays, less the listing facts of what was removed).
 * References are deleted last, and only where no delta of their deltaspace remains.
 */
export async function removeRecursive(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  options: RemovalOptions & { dryRun?: boolean } = {},
): Promise<RemovalResult> {
  const request = options.signal ? { signal: options.signal } : {};
  const deleted: string[] = [];
  const failed: { key: string; message: string }[] = [];
  const references: string[] = [];
  const report = (result: RemovalResult) => {
    deleted.push(...result.deleted);
    failed.push(...result.failed);
    for (const key of result.deleted) options.onRemoved?.(key);
  };
  // Page by page, so each object is reported as it goes; references wait for the end.
  for await (const page of listAllObjects(store, bucket, { prefix, ...request })) {
    const others: string[] = [];
    for (const object of page) {
      // Intents belong to the processes holding them; a dead one's is removed by the next waiter.
      if (object.key.startsWith(REFERENCE_INTENTS_PREFIX)) continue;
      // The proxy's own files: the facts of what is removed go below, the rest stays.
      if (object.key.startsWith(PROXY_INTERNAL_PREFIX)) continue;
      (classifyKey(object.key).kind === 'reference' ? references : others).push(object.key);
    }
    if (options.dryRun) report({ deleted: others, failed: [] });
    else report(toRemovalResult(await deleteObjects(store, bucket, others, request)));
  }
  if (options.dryRun) report({ deleted: references, failed: [] });
  else report(await removeUnusedReferences(store, bucket, references, options));
  if (!options.dryRun)
    await options.listingFacts?.forgetUnder(bucket, prefix, new Set(deleted), request);
  return { deleted, failed };
}

function toRemovalResult(result: DeleteManyResult): RemovalResult {
  return {
    deleted: result.deleted,
    failed: result.failed.map(({ key, message }) => ({ key, message })),
  };
}

/**
 * Deletes each reference whose deltaspace holds no delta. Each deltaspace's removal is
 * announced by a reference intent before its deltas are looked for, and the intent is held until
 * the DELETE has landed, so an upload that wrote a delta meanwhile sees it and stores its file
 * whole instead of trusting a reference that is going away.
 */
async function removeUnusedReferences(
  store: ObjectStore,
  bucket: string,
  referenceKeys: readonly string[],
  options: RemovalOptions,
): Promise<RemovalResult> {
  const request = options.signal ? { signal: options.signal } : {};
  const deleted: string[] = [];
  const failed: { key: string; message: string }[] = [];
  for (const referenceKey of referenceKeys) {
    const { deltaspace } = classifyKey(referenceKey);
    const intent = await holdReferenceIntent(store, bucket, deltaspace, 'remove', {
      ...request,
      ...(options.referenceIntentTimings ? { timings: options.referenceIntentTimings } : {}),
    });
    try {
      if (await deltaspaceHoldsDelta(store, bucket, deltaspace, request)) continue;
      const result = toRemovalResult(await deleteObjects(store, bucket, [referenceKey], request));
      deleted.push(...result.deleted);
      failed.push(...result.failed);
    } finally {
      await intent.release();
    }
  }
  return { deleted, failed };
}

async function deltaspaceHoldsDelta(
  store: ObjectStore,
  bucket: string,
  deltaspace: string,
  request: { signal?: AbortSignal },
): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await store.list(bucket, {
      prefix: deltaspace === '' ? '' : `${deltaspace}/`,
      delimiter: '/',
      ...(cursor === undefined ? {} : { cursor }),
      ...request,
    });
    if (page.objects.some((object) => classifyKey(object.key).kind === 'delta')) return true;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return false;
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
