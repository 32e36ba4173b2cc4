import { ObjectNotFoundError } from '../errors/object-not-found-error.js';
import { deleteObjects } from '../listing/delete-objects.js';
import { listAllObjects } from '../listing/list-all-objects.js';
import type { ObjectStore } from '../ports/object-store.js';
import { classifyKey, referenceKeyOf } from '../stats/classify-key.js';

export interface RemovalResult {
  /** Keys deleted (or, in a dry run, that would be). */
  readonly deleted: readonly string[];
  readonly failed: readonly { key: string; message: string }[];
}

/**
 * Removes one file by its user or stored name. When it was its deltaspace's last delta, the
 * reference goes too: a reference is never removed while a delta still needs it.
 */
export async function removeObject(
  store: ObjectStore,
  bucket: string,
  key: string,
  options: { signal?: AbortSignal } = {},
): Promise<RemovalResult> {
  const request = options.signal ? { signal: options.signal } : {};
  const userKey = key.endsWith('.delta') ? key.slice(0, -'.delta'.length) : key;
  const candidates = key.endsWith('.delta') ? [key] : [key, `${key}.delta`];
  const { kind: named } = classifyKey(key);
  if (named === 'reference' || named === 'internal') throw new ObjectNotFoundError(bucket, key);
  const deleted: string[] = [];
  for (const candidate of candidates) {
    if (await store.head(bucket, candidate, request)) {
      await store.delete(bucket, candidate, request);
      deleted.push(candidate);
    }
  }
  if (deleted.length === 0) throw new ObjectNotFoundError(bucket, userKey);
  if (deleted.some((removed) => removed.endsWith('.delta'))) {
    const { deltaspace } = classifyKey(userKey);
    if (!(await deltaspaceHoldsDelta(store, bucket, deltaspace, request))) {
      const referenceKey = referenceKeyOf(deltaspace);
      if (await store.head(bucket, referenceKey, request)) {
        await store.delete(bucket, referenceKey, request);
        deleted.push(referenceKey);
      }
    }
  }
  return { deleted, failed: [] };
}

/**
 * Removes everything under a directory prefix (`""`: the whole bucket, caches included).
 * References are deleted last, and only where no delta of their deltaspace remains.
 */
export async function removeRecursive(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  options: { dryRun?: boolean; signal?: AbortSignal } = {},
): Promise<RemovalResult> {
  const request = options.signal ? { signal: options.signal } : {};
  const others: string[] = [];
  const references: string[] = [];
  for await (const page of listAllObjects(store, bucket, { prefix, ...request })) {
    for (const object of page) {
      (classifyKey(object.key).kind === 'reference' ? references : others).push(object.key);
    }
  }
  if (options.dryRun) return { deleted: [...others, ...references], failed: [] };

  const first = await deleteObjects(store, bucket, others, request);
  const failed = first.failed.map(({ key, message }) => ({ key, message }));
  const removableReferences: string[] = [];
  for (const referenceKey of references) {
    const { deltaspace } = classifyKey(referenceKey);
    if (!(await deltaspaceHoldsDelta(store, bucket, deltaspace, request)))
      removableReferences.push(referenceKey);
  }
  const second = await deleteObjects(store, bucket, removableReferences, request);
  failed.push(...second.failed.map(({ key, message }) => ({ key, message })));
  return { deleted: [...first.deleted, ...second.deleted], failed };
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
