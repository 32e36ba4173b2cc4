import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { INTERNAL_PREFIX } from '../layout/bucket-layout.js';
import { listAllObjects } from '../listing/list-all-objects.js';
import type { ObjectStore } from '../ports/object-store.js';

/**
 * Reference intents make races between uploads and removals safe on any S3 server, whether it
 * enforces conditional writes or not (see docs/decisions.md, "Racing uploads").
 *
 * Whoever may create or delete a deltaspace's `reference.bin` first writes an intent object,
 * then checks the bucket, acts, and deletes the intent. Whoever wrote a delta against a
 * reference waits until no live intent of that deltaspace remains, then checks that the
 * reference is still the one it diffed against. Because the intent is visible before the check
 * that lets its owner act, any PUT or DELETE of a reference that could land after a delta's
 * check is announced by an intent that this wait sees: correctness rests on the order of
 * requests and on S3's read-after-write consistency, never on how long a request takes.
 */
export const REFERENCE_INTENTS_PREFIX = `${INTERNAL_PREFIX}reference-intents/`;

export interface ReferenceIntentTimings {
  /** How often a held intent is rewritten, so waiters can tell it is alive. Default 5 s. */
  readonly renewMs: number;
  /** An intent unchanged for this long is taken as left by a dead process. Default 30 s. */
  readonly leaseMs: number;
  /** The first pause between listings while waiting; it doubles up to 1 s. Default 100 ms. */
  readonly pollMs: number;
  /** Give up waiting after this long; the caller then stores its file whole. Default 120 s. */
  readonly maxWaitMs: number;
}

export const DEFAULT_REFERENCE_INTENT_TIMINGS: ReferenceIntentTimings = {
  renewMs: 5_000,
  leaseMs: 30_000,
  pollMs: 100,
  maxWaitMs: 120_000,
};

export type ReferenceChange = 'create' | 'remove';

export interface HeldReferenceIntent {
  readonly key: string;
  /** Stops renewing and deletes the intent, once. Never rejects: a dead intent expires anyway. */
  release(): Promise<void>;
}

/** The listing prefix of one deltaspace's intents (a deltaspace's own, not its sub-folders'). */
export function referenceIntentsPrefix(deltaspace: string): string {
  return deltaspace === '' ? REFERENCE_INTENTS_PREFIX : `${REFERENCE_INTENTS_PREFIX}${deltaspace}/`;
}

/** Writes an intent and keeps it alive until released. Resolves once the intent is stored. */
export async function holdReferenceIntent(
  store: ObjectStore,
  bucket: string,
  deltaspace: string,
  change: ReferenceChange,
  options: { signal?: AbortSignal; timings?: ReferenceIntentTimings } = {},
): Promise<HeldReferenceIntent> {
  const timings = options.timings ?? DEFAULT_REFERENCE_INTENT_TIMINGS;
  // Keys sort by when they were announced, so racing creators can agree who goes first.
  const stamp = Date.now().toString(36).padStart(9, '0');
  const key = `${referenceIntentsPrefix(deltaspace)}${stamp}-${change}-${randomUUID()}`;
  const started = new Date().toISOString();
  let renewal = 0;
  // Each renewal changes the body, so the ETag a waiter watches changes with it.
  const write = (signal?: AbortSignal) =>
    store.put(
      bucket,
      key,
      new TextEncoder().encode(JSON.stringify({ change, started, renewal: renewal++ })),
      { contentType: 'application/json', ...(signal ? { signal } : {}) },
    );
  await write(options.signal);
  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renewing.then(() => write().catch(() => undefined));
  }, timings.renewMs);
  timer.unref?.();
  let released: Promise<void> | undefined;
  return {
    key,
    release() {
      released ??= (async () => {
        clearInterval(timer);
        await renewing;
        await store.delete(bucket, key).catch(() => undefined);
      })();
      return released;
    },
  };
}

/**
 * Whether another process announced creating this deltaspace's reference before `ownKey` did.
 * Only an optimisation (the later creator deltas against the earlier one's reference instead of
 * overwriting it); safety never depends on it.
 */
export async function earlierCreationAnnounced(
  store: ObjectStore,
  bucket: string,
  deltaspace: string,
  ownKey: string,
  request: { signal?: AbortSignal } = {},
): Promise<boolean> {
  const intents = await listIntents(store, bucket, deltaspace, request);
  return intents.some(({ key }) => key < ownKey && key.includes('-create-'));
}

/**
 * Resolves `true` once no live intent of the deltaspace remains, or
 * `false` when `maxWaitMs` passed first. An intent whose ETag stays the same for `leaseMs`
 * (measured here, so clocks never matter) was left by a dead process: it is ignored and removed.
 */
export async function waitForReferenceIntents(
  store: ObjectStore,
  bucket: string,
  deltaspace: string,
  options: { signal?: AbortSignal; timings?: ReferenceIntentTimings } = {},
): Promise<boolean> {
  const timings = options.timings ?? DEFAULT_REFERENCE_INTENT_TIMINGS;
  const request = options.signal ? { signal: options.signal } : {};
  const firstSeen = new Map<string, { etag: string; at: number }>();
  const started = performance.now();
  let pause = timings.pollMs;
  for (;;) {
    const now = performance.now();
    const live: string[] = [];
    const dead: string[] = [];
    for (const intent of await listIntents(store, bucket, deltaspace, request)) {
      const seen = firstSeen.get(intent.key);
      if (seen === undefined || seen.etag !== intent.etag) {
        firstSeen.set(intent.key, { etag: intent.etag, at: now });
        live.push(intent.key);
      } else if (now - seen.at >= timings.leaseMs) {
        dead.push(intent.key);
      } else {
        live.push(intent.key);
      }
    }
    await Promise.all(dead.map((key) => store.delete(bucket, key).catch(() => undefined)));
    if (live.length === 0) return true;
    if (now - started >= timings.maxWaitMs) return false;
    await sleep(pause, undefined, request);
    pause = Math.min(pause * 2, 1_000);
  }
}

async function listIntents(
  store: ObjectStore,
  bucket: string,
  deltaspace: string,
  request: { signal?: AbortSignal },
): Promise<{ key: string; etag: string }[]> {
  const intents: { key: string; etag: string }[] = [];
  const pages = listAllObjects(store, bucket, {
    prefix: referenceIntentsPrefix(deltaspace),
    delimiter: '/',
    ...request,
  });
  for await (const page of pages) intents.push(...page.map(({ key, etag }) => ({ key, etag })));
  return intents;
}
