import { randomUUID } from 'node:crypto';
import { ConditionalWrites } from '../delta/conditional-writes.js';
import { PreconditionFailedError } from '../errors/precondition-failed-error.js';
import {
  classifyKey,
  INTERNAL_PREFIX,
  isInternalKey,
  LEGACY_INTENTS_PREFIX,
  PROBES_PREFIX,
  RETIRING_PREFIX,
  retiringTombstoneKey,
  UNREFERENCED_PREFIX,
  unreferencedMarkerKey,
} from '../layout/bucket-layout.js';
import { factsPrefixOf, parseFactsKey } from '../layout/listing-facts.js';
import { deleteObjects } from '../listing/delete-objects.js';
import { listAllObjects } from '../listing/list-all-objects.js';
import type { ObjectStore, ObjectSummary, RequestOptions } from '../ports/object-store.js';

export interface GarbageOptions extends RequestOptions {
  /** How long a reference must have had no delta before it is deleted. */
  readonly olderThanMs: number;
  /** Report what would go, change nothing (markers included). */
  readonly dryRun?: boolean;
  readonly conditionalWrites?: ConditionalWrites;
  readonly onRemoved?: (key: string) => void;
}

export interface GarbageReport {
  /** Keys deleted (or, in a dry run, that would be). */
  readonly deleted: readonly string[];
  /** References seen without a delta for the first time: deletable after the grace period. */
  readonly marked: readonly string[];
  /** References without a delta, marked earlier, still inside their grace period. */
  readonly waiting: readonly string[];
  readonly failed: readonly { key: string; message: string }[];
}

/**
 * Frees what uploads and removals leave on purpose. A reference is deleted only when every
 * `gc` run over a span of `olderThanMs` (by the server's clock) found its directory without a
 * delta and the reference unchanged, and then with `If-Match` on its ETag where the server
 * enforces it: the first run leaves a marker, a later one past the grace period deletes. So an
 * upload that wrote a delta is safe unless the server's listings lag behind writes by more than
 * the grace period (default one day); that is the one place where time matters, and only for
 * this operator command. Also removed, once older than the same grace period: scratch probes
 * a killed process left, intents of earlier versions of this tool, and listing-facts entries of
 * objects gone (an entry that goes too early only costs stats a HEAD).
 */
export async function collectGarbage(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  options: GarbageOptions,
): Promise<GarbageReport> {
  const request = options.signal ? { signal: options.signal } : {};
  const now = await serverNow(store, bucket, request);
  const listing = await surveyPrefix(store, bucket, prefix, request);
  const markers = await listNotes(store, bucket, UNREFERENCED_PREFIX, prefix, request);
  const tombstones = await listNotes(store, bucket, RETIRING_PREFIX, prefix, request);
  const report = { deleted: [] as string[], marked: [] as string[], waiting: [] as string[] };
  const failed: { key: string; message: string }[] = [];
  const remove = async (keys: string[]) => {
    if (keys.length === 0) return;
    if (options.dryRun) {
      report.deleted.push(...keys);
      for (const key of keys) options.onRemoved?.(key);
      return;
    }
    const result = await deleteObjects(store, bucket, keys, request);
    report.deleted.push(...result.deleted);
    for (const key of result.deleted) options.onRemoved?.(key);
    failed.push(...result.failed.map(({ key, message }) => ({ key, message })));
  };

  const conditional = options.conditionalWrites ?? new ConditionalWrites(store);
  for (const reference of listing.references) {
    const { deltaspace } = classifyKey(reference.key);
    const marker = markerKeyOf(reference);
    const markedAt = markers.get(marker);
    markers.delete(marker);
    // A tombstone of a reference that still has this ETag stays until a retirement ends, or
    // (a run killed mid-way) until it is older than the grace period: no retirement takes that.
    const tombstone = retiringTombstoneKey(reference.key, reference.etag);
    const retiringSince = tombstones.get(tombstone);
    if (retiringSince && ageMs(retiringSince, now) < options.olderThanMs)
      tombstones.delete(tombstone);
    if (listing.deltaspacesWithDeltas.has(deltaspace)) {
      if (markedAt) await remove([marker]);
      continue;
    }
    if (markedAt === undefined) {
      report.marked.push(reference.key);
      if (!options.dryRun) await store.put(bucket, marker, new Uint8Array(0), request);
      continue;
    }
    if (ageMs(markedAt, now) < options.olderThanMs) {
      report.waiting.push(reference.key);
      continue;
    }
    const retired = await retireReference(store, bucket, reference, conditional, options, now);
    if (retired) {
      report.deleted.push(reference.key);
      options.onRemoved?.(reference.key);
    } else report.waiting.push(reference.key);
  }
  // Notes of references that changed or went: stale.
  await remove([...markers.keys(), ...tombstones.keys()]);
  await remove(
    listing.scratch.filter((o) => isOlder(o, now, options.olderThanMs)).map((o) => o.key),
  );
  await remove(
    await staleFacts(
      store,
      bucket,
      prefix,
      listing.storedKeys,
      { now, olderThanMs: options.olderThanMs },
      request,
    ),
  );
  return { ...report, failed };
}

/**
 * Deletes one reference (see reference-retirement.ts for why this order is safe): tombstone
 * first, then the marker must still be there and old enough (an upload that used the reference
 * meanwhile deleted it), then the reference itself, with `If-Match` on the ETag the marker
 * vouched for where the server enforces it, else right after a HEAD showed that ETag.
 */
async function retireReference(
  store: ObjectStore,
  bucket: string,
  reference: ObjectSummary,
  conditional: ConditionalWrites,
  options: GarbageOptions,
  now: Date,
): Promise<boolean> {
  if (options.dryRun) return true;
  const request = options.signal ? { signal: options.signal } : {};
  const marker = markerKeyOf(reference);
  const tombstone = retiringTombstoneKey(reference.key, reference.etag);
  await store.put(bucket, tombstone, new Uint8Array(0), request);
  const marked = await store.head(bucket, marker, request);
  let retired = false;
  if (marked && ageMs(marked.lastModified, now) >= options.olderThanMs) {
    retired = await deleteIfUnchanged(store, bucket, reference, conditional, request);
    if (retired) await store.delete(bucket, marker, request);
  }
  // Only once the reference's DELETE has resolved; one a killed run left behind makes uploads
  // store whole until a later run retires that reference or finds it changed.
  await store.delete(bucket, tombstone, request);
  return retired;
}

async function deleteIfUnchanged(
  store: ObjectStore,
  bucket: string,
  reference: ObjectSummary,
  conditional: ConditionalWrites,
  request: RequestOptions,
): Promise<boolean> {
  const support = await conditional.support(bucket, request);
  if (!support.delete) {
    const current = await store.head(bucket, reference.key, request);
    if (current?.etag !== reference.etag) return false;
  }
  try {
    await store.delete(bucket, reference.key, { ...request, ifMatch: reference.etag });
    return true;
  } catch (error) {
    if (PreconditionFailedError.isInstance(error)) return false;
    throw error;
  }
}

interface PrefixSurvey {
  readonly references: ObjectSummary[];
  readonly deltaspacesWithDeltas: Set<string>;
  /** Every stored key (for facts of gone objects), only when the bucket keeps facts. */
  readonly storedKeys: Set<string>;
  /** Probes and legacy intents, collected once old. */
  readonly scratch: ObjectSummary[];
}

async function surveyPrefix(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  request: RequestOptions,
): Promise<PrefixSurvey> {
  const survey: PrefixSurvey = {
    references: [],
    deltaspacesWithDeltas: new Set(),
    storedKeys: new Set(),
    scratch: [],
  };
  const keepsFacts = await hasAny(store, bucket, factsPrefixOf(prefix), request);
  for await (const page of listAllObjects(store, bucket, { prefix, ...request })) {
    for (const object of page) {
      if (object.key.startsWith(PROBES_PREFIX) || object.key.startsWith(LEGACY_INTENTS_PREFIX))
        survey.scratch.push(object);
      if (isInternalKey(object.key)) continue;
      if (keepsFacts) survey.storedKeys.add(object.key);
      const { kind, deltaspace } = classifyKey(object.key);
      if (kind === 'reference') survey.references.push(object);
      else if (kind === 'delta') survey.deltaspacesWithDeltas.add(deltaspace);
    }
  }
  // A prefix below the root does not list `.deltaglider/`: its scratch objects are looked up.
  if (prefix !== '' && !INTERNAL_PREFIX.startsWith(prefix)) {
    for (const scratchPrefix of [PROBES_PREFIX, LEGACY_INTENTS_PREFIX])
      for await (const page of listAllObjects(store, bucket, { prefix: scratchPrefix, ...request }))
        survey.scratch.push(...page);
  }
  return survey;
}

function markerKeyOf(reference: ObjectSummary): string {
  return unreferencedMarkerKey(reference.key, reference.etag);
}

/** The notes (markers or tombstones) under the prefix, with when the server stored them. */
async function listNotes(
  store: ObjectStore,
  bucket: string,
  notesPrefix: string,
  prefix: string,
  request: RequestOptions,
): Promise<Map<string, Date>> {
  const notes = new Map<string, Date>();
  for await (const page of listAllObjects(store, bucket, {
    prefix: `${notesPrefix}${prefix}`,
    ...request,
  }))
    for (const note of page) notes.set(note.key, note.lastModified);
  return notes;
}

/** Facts entries past the grace period whose stored object is gone. */
async function staleFacts(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  storedKeys: ReadonlySet<string>,
  age: { now: Date; olderThanMs: number },
  request: RequestOptions,
): Promise<string[]> {
  const stale: string[] = [];
  for await (const page of listAllObjects(store, bucket, {
    prefix: factsPrefixOf(prefix),
    ...request,
  })) {
    for (const entry of page) {
      const fact = parseFactsKey(entry.key);
      if (fact && !storedKeys.has(fact.storedKey) && isOlder(entry, age.now, age.olderThanMs))
        stale.push(entry.key);
    }
  }
  return stale;
}

/**
 * The server's clock, from an object it stamps now: ages are measured on the clock that
 * stamped the objects, so no client's clock matters.
 */
async function serverNow(store: ObjectStore, bucket: string, request: RequestOptions) {
  const key = `${PROBES_PREFIX}clock-${randomUUID()}`;
  await store.put(bucket, key, new Uint8Array(0), request);
  try {
    const head = await store.head(bucket, key, request);
    return head?.lastModified ?? new Date();
  } finally {
    await store.delete(bucket, key, request);
  }
}

async function hasAny(store: ObjectStore, bucket: string, prefix: string, request: RequestOptions) {
  const page = await store.list(bucket, { prefix, maxKeys: 1, ...request });
  return page.objects.length > 0;
}

function isOlder(object: ObjectSummary, now: Date, age: number): boolean {
  return ageMs(object.lastModified, now) >= age;
}

/**
 * How long ago the server stamped something, in whole seconds: HEAD's Last-Modified has
 * second precision while listings may carry milliseconds, so both are cut to the second.
 */
function ageMs(stamped: Date, now: Date): number {
  const second = (date: Date) => Math.floor(date.getTime() / 1000) * 1000;
  return second(now) - second(stamped);
}
