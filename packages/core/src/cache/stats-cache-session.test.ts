import { describe, expect, it } from 'vitest';
import { pureHashes } from '../hashing/pure-hashes.js';
import { normalizePrefix, statsCacheKey } from '../layout/bucket-layout.js';
import { getBucketStats } from '../operations/get-bucket-stats.js';
import { systemClock } from '../ports/clock.js';
import { silentLogger } from '../ports/logger.js';
import type { ObjectHead, ObjectStore } from '../ports/object-store.js';
import { BucketStatsAggregator } from '../stats/bucket-stats-aggregator.js';
import { PhaseTimer } from '../stats/phase-timer.js';
import { buildListPage, resolveListPosition } from '../store-support/build-list-page.js';
import { compareKeys } from '../store-support/compare-keys.js';
import { readPutBody } from '../store-support/put-body.js';
import { StatsCacheSession, type StatsCacheSessionOptions } from './stats-cache-session.js';

// The session against the smallest store that keeps objects and lists like S3, counting its
// requests (the SDK's tests run whole stats calls over the memory adapter and the S3 server).

function keepingStore() {
  const objects = new Map<string, ObjectHead & { bytes: Uint8Array }>();
  const requests: string[] = [];
  const store: ObjectStore = {
    capabilities: { conditionalPut: true },
    async head(_bucket, key) {
      requests.push(`HEAD ${key}`);
      return objects.get(key) ?? null;
    },
    async get(_bucket, key) {
      requests.push(`GET ${key}`);
      const object = objects.get(key);
      if (!object) return null;
      const { bytes } = object;
      return {
        ...object,
        body: (async function* () {
          yield bytes;
        })(),
      };
    },
    async put(_bucket, key, body, options = {}) {
      requests.push(`PUT ${key}`);
      const bytes = await readPutBody(body);
      const md5 = pureHashes('md5');
      md5.update(bytes);
      const etag = `"${md5.digestHex()}"`;
      objects.set(key, {
        key,
        size: bytes.byteLength,
        etag,
        lastModified: new Date(),
        contentType: options.contentType,
        metadata: options.metadata ?? {},
        bytes,
      });
      return { etag };
    },
    async delete(_bucket, key) {
      objects.delete(key);
    },
    async list(_bucket, options = {}) {
      requests.push('LIST');
      const { prefix, startAfter } = resolveListPosition(options);
      const from = compareKeys(startAfter, prefix) > 0 ? startAfter : prefix;
      const sorted = [...objects.values()].sort((a, b) => compareKeys(a.key, b.key));
      return buildListPage(
        sorted.filter((object) => compareKeys(object.key, from) >= 0),
        options,
      );
    },
  };
  return { store, objects, requests };
}

const bucket = 'b';
const sessionFor = (store: ObjectStore, options: Partial<StatsCacheSessionOptions> = {}) =>
  new StatsCacheSession({
    store,
    bucket,
    mode: 'quick',
    prefix: '',
    logger: silentLogger,
    timer: new PhaseTimer(systemClock),
    usesKnownOriginals: false,
    ...options,
  });

/** What a listing of the store's user objects summarises to, as stats computes it. */
async function listingOf(store: ObjectStore) {
  const aggregator = new BucketStatsAggregator();
  for (const object of (await store.list(bucket)).objects)
    if (!object.key.startsWith('.deltaglider/')) aggregator.add(object);
  return aggregator.fingerprint.summary();
}

describe('StatsCacheSession', () => {
  it('judges the cache a stats call wrote valid for the same listing, stale after a change', async () => {
    const { store, requests } = keepingStore();
    await store.put(bucket, 'docs/readme.txt', new TextEncoder().encode('hello'));
    await getBucketStats({ store }, bucket);

    requests.length = 0;
    const session = sessionFor(store);
    const judged = await session.judge(await listingOf(store), { now: new Date() });
    expect(judged).toMatchObject({ cacheKey: statsCacheKey('quick'), servedFrom: 'bucket' });
    expect(judged.verdict?.kind).toBe('valid');
    expect(requests).toEqual(['GET .deltaglider/stats_quick.json', 'LIST']);

    await store.put(bucket, 'docs/new.txt', new TextEncoder().encode('new'));
    const later = await sessionFor(store).judge(await listingOf(store), { now: new Date() });
    expect(later.verdict?.kind).toBe('stale');
  });

  it('reads nothing when caches are off, and serves nothing on a refresh (but learns the version)', async () => {
    const { store, requests } = keepingStore();
    await getBucketStats({ store }, bucket);
    requests.length = 0;

    const off = sessionFor(store, { useCache: false });
    expect(off.enabled).toBe(false);
    expect(off.cachedRead()).toBeUndefined();
    expect((await off.judge(await listingOf(store), { now: new Date() })).verdict).toBeUndefined();
    expect(requests).toEqual(['LIST']);

    requests.length = 0;
    const refresh = sessionFor(store, { refreshCache: true });
    expect(refresh.mayServe).toBe(false);
    expect(refresh.cachedRead()).toBeUndefined();
    expect(refresh.cachedBoundaries()).toBeUndefined();
    const judged = await refresh.judge(await listingOf(store), { now: new Date() });
    expect(judged.verdict).toBeUndefined();
    expect(judged.located?.read.kind).toBe('found'); // the version a rewrite replaces
    expect(requests).toEqual(['GET .deltaglider/stats_quick.json', 'LIST']);
  });

  it('reads the known-originals companion once, on first use, only in a mode that uses it', async () => {
    const { store, requests } = keepingStore();
    const quick = sessionFor(store, { usesKnownOriginals: false });
    expect(await quick.knownOriginals()).toBeUndefined();
    expect(quick.knownOriginalsIfRead()).toBeUndefined();
    await quick.judge(await listingOf(store), { now: new Date() });
    expect(requests.filter((request) => request.includes('originals'))).toEqual([]);

    const detailed = sessionFor(store, { mode: 'detailed', usesKnownOriginals: true });
    expect(detailed.knownOriginalsIfRead()).toBeUndefined();
    const [first, second] = [await detailed.knownOriginals(), await detailed.knownOriginals()];
    expect(first?.existed).toBe(false);
    expect(second).toBe(first);
    expect(requests.filter((request) => request.includes('originals'))).toEqual([
      'GET .deltaglider/originals.json',
    ]);
    await detailed.rememberOriginals(() => new Map([['a.zip.delta', { etag: '"e"', size: 9 }]]), 1);
    expect(requests).toContain('PUT .deltaglider/originals.json');
  });

  it('names one cache for /app/, app and app/', () => {
    const spellings = ['/app/', 'app', 'app/', '//app'];
    expect(new Set(spellings.map(normalizePrefix))).toEqual(new Set(['app/']));
    expect(new Set(spellings.map((prefix) => statsCacheKey('quick', prefix))).size).toBe(1);
    expect(statsCacheKey('quick', '/')).toBe('.deltaglider/stats_quick.json');
    expect(statsCacheKey('sampled', 'app')).toMatch(
      /^\.deltaglider\/stats_sampled\.prefix-[0-9a-f]{16}\.json$/,
    );
  });
});
