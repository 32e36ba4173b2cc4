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
import { FACTS_PREFIX, factsPrefixOf, PAST_FACTS, parseFactsKey } from '../layout/listing-facts.js';
import { deleteObjects } from '../listing/delete-objects.js';
import { listAllObjects } from '../listing/list-all-objects.js';
import { listInRanges } from '../listing/list-in-ranges.js';
import type { ObjectStore, ObjectSummary, RequestOptions } from '../ports/object-store.js';

export interface GarbageOptions extends RequestOptions {
  /** How long a reference must have had no delta before it is deleted. */
  readonly olderThanMs: number;
  /** Report what would go, change nothing (markers included). */
  readonly dryRun?: boolean | undefined;
  readonly conditionalWrites?: ConditionalWrites | undefined;
  readonly onRemoved?: ((key: string) => void) | undefined;
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
  const survey = await surveyPrefix(store, bucket, prefix, request);
  const { markers, tombstones } = survey;
  const report = { deleted: [] as string[], marked: [] as string[], waiting: [] as string[] };
  const failed: { key: string; message: string }[] = [];
  const conditional = options.conditionalWrites ?? new ConditionalWrites(store);
  // Notes left in `markers` and `tombstones` after this loop are stale: their reference has a
  // delta again, changed, or is gone.
  for (const reference of survey.references) {
    // A tombstone of a reference that still has this ETag stays until a retirement ends, or
    // (a run killed mid-way) until it is older than the grace period: no retirement takes that.
    const tombstone = retiringTombstoneKey(reference.key, reference.etag);
    const retiringSince = tombstones.get(tombstone);
    if (retiringSince && ageMs(retiringSince, now) < options.olderThanMs)
      tombstones.delete(tombstone);
    if (survey.deltaspacesWithDeltas.has(classifyKey(reference.key).deltaspace)) continue;
    const marker = markerKeyOf(reference);
    const markedAt = markers.get(marker);
    markers.delete(marker);
    if (markedAt === undefined) {
      report.marked.push(reference.key);
      if (!options.dryRun) await store.put(bucket, marker, new Uint8Array(0), request);
    } else if (ageMs(markedAt, now) < options.olderThanMs) {
      report.waiting.push(reference.key);
    } else if (await retireReference(store, bucket, reference, conditional, options, now)) {
      report.deleted.push(reference.key);
      options.onRemoved?.(reference.key);
    } else report.waiting.push(reference.key);
  }
  const old = (objects: readonly ObjectSummary[]) =>
    objects.filter((object) => ageMs(object.lastModified, now) >= options.olderThanMs);
  const garbage = [
    ...markers.keys(),
    ...tombstones.keys(),
    ...old(survey.scratch).map((object) => object.key),
    ...old([...survey.factsOfGoneKeys.values()].flat()).map((entry) => entry.key),
  ];
  if (options.dryRun) {
    report.deleted.push(...garbage);
    for (const key of garbage) options.onRemoved?.(key);
  } else if (garbage.length > 0) {
    const result = await deleteObjects(store, bucket, garbage, request);
    report.deleted.push(...result.deleted);
    for (const key of result.deleted) options.onRemoved?.(key);
    failed.push(...result.failed.map(({ key, message }) => ({ key, message })));
  }
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

/** What gc needs of a prefix, each thing listed once. */
interface PrefixSurvey {
  readonly references: ObjectSummary[];
  readonly deltaspacesWithDeltas: Set<string>;
  /** gc's marks and tombstones under the prefix, with when the server stored them. */
  readonly markers: Map<string, Date>;
  readonly tombstones: Map<string, Date>;
  /** Probes and legacy intents, collected once old. */
  readonly scratch: ObjectSummary[];
  /** Listing-facts entries by stored key; the keys the listing shows are taken out. */
  readonly factsOfGoneKeys: Map<string, ObjectSummary[]>;
}

/**
 * One listing of the prefix (past the facts namespace, read before it), plus listings of our
 * notes and scratch objects only where the prefix does not cover `.deltaglider/` already.
 */
async function surveyPrefix(
  store: ObjectStore,
  bucket: string,
  prefix: string,
  request: RequestOptions,
): Promise<PrefixSurvey> {
  const survey: PrefixSurvey = {
    references: [],
    deltaspacesWithDeltas: new Set(),
    markers: new Map(),
    tombstones: new Map(),
    scratch: [],
    factsOfGoneKeys: new Map(),
  };
  for await (const page of listAllObjects(store, bucket, {
    prefix: factsPrefixOf(prefix),
    ...request,
  }))
    for (const entry of page) {
      const fact = parseFactsKey(entry.key);
      if (fact?.storedKey.startsWith(prefix))
        survey.factsOfGoneKeys.set(fact.storedKey, [
          ...(survey.factsOfGoneKeys.get(fact.storedKey) ?? []),
          entry,
        ]);
    }
  const listing = listInRanges(store, bucket, {
    prefix,
    skip: { prefix: FACTS_PREFIX, resumeAfter: PAST_FACTS },
    ...request,
  });
  for await (const page of listing) for (const object of page) addToSurvey(survey, object);
  if (!INTERNAL_PREFIX.startsWith(prefix)) {
    const notes = [`${UNREFERENCED_PREFIX}${prefix}`, `${RETIRING_PREFIX}${prefix}`];
    for (const internal of [...notes, PROBES_PREFIX, LEGACY_INTENTS_PREFIX])
      for await (const page of listAllObjects(store, bucket, { prefix: internal, ...request }))
        for (const object of page) addToSurvey(survey, object);
  }
  return survey;
}

function addToSurvey(survey: PrefixSurvey, object: ObjectSummary): void {
  const { key } = object;
  if (key.startsWith(UNREFERENCED_PREFIX)) survey.markers.set(key, object.lastModified);
  else if (key.startsWith(RETIRING_PREFIX)) survey.tombstones.set(key, object.lastModified);
  else if (key.startsWith(PROBES_PREFIX) || key.startsWith(LEGACY_INTENTS_PREFIX))
    survey.scratch.push(object);
  if (isInternalKey(key)) return;
  survey.factsOfGoneKeys.delete(key);
  const { kind, deltaspace } = classifyKey(key);
  if (kind === 'reference') survey.references.push(object);
  else if (kind === 'delta') survey.deltaspacesWithDeltas.add(deltaspace);
}

function markerKeyOf(reference: ObjectSummary): string {
  return unreferencedMarkerKey(reference.key, reference.etag);
}

/**
 * The server's clock, from an object it stamps now: ages are measured on the clock that
 * stamped the objects, so no client's clock matters.
 */
async function serverNow(store: ObjectStore, bucket: string, request: RequestOptions) {
  const key = `${PROBES_PREFIX}clock-${crypto.randomUUID()}`;
  await store.put(bucket, key, new Uint8Array(0), request);
  try {
    const head = await store.head(bucket, key, request);
    return head?.lastModified ?? new Date();
  } finally {
    await store.delete(bucket, key, request);
  }
}

/**
 * How long ago the server stamped something, in whole seconds: HEAD's Last-Modified has
 * second precision while listings may carry milliseconds, so both are cut to the second.
 */
function ageMs(stamped: Date, now: Date): number {
  const second = (date: Date) => Math.floor(date.getTime() / 1000) * 1000;
  return second(now) - second(stamped);
}
