import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { createClient, type ObjectStore, StoreUnavailableError } from '@deltaglider/sdk';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';
import { describe, expect, it } from 'vitest';
import { StatsRefresher } from './stats-refresher.js';

// The exporter's schedule, on the in-memory store: listings are held back by hand, so every
// step is exact.

const silent = { debug() {}, info() {}, warn() {} };

function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** A store whose LISTs wait until `release()`; counts them. */
function gatedStore(inner: ObjectStore) {
  let gate = deferred();
  let lists = 0;
  let failing = false;
  const store: ObjectStore = {
    ...inner,
    async list(bucket, options) {
      lists++;
      const signal = options?.signal;
      signal?.throwIfAborted();
      await Promise.race([
        gate.promise,
        new Promise((_, reject) =>
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true }),
        ),
      ]);
      if (failing) throw new StoreUnavailableError('the endpoint is down');
      return inner.list(bucket, options);
    },
  };
  return {
    store,
    lists: () => lists,
    release() {
      gate.resolve();
      gate = deferred();
    },
    open() {
      gate.resolve();
    },
    fail(on: boolean) {
      failing = on;
    },
  };
}

async function fixture(...buckets: string[]) {
  const inner = createMemoryObjectStore();
  for (const bucket of buckets) {
    await inner.createBucket(bucket);
    await loadFixtureBucket(inner, bucket);
  }
  return gatedStore(inner);
}

describe('StatsRefresher', () => {
  it('runs one refresh per target at a time, and serves the last result while the next runs', async () => {
    const gated = await fixture('one');
    let now = 0;
    const refresher = new StatsRefresher(createClient({ store: gated.store }), {
      intervalSeconds: 10,
      concurrency: 4,
      logger: silent,
      now: () => now,
    });
    const target = { bucket: 'one', prefix: '', mode: 'quick' } as const;
    refresher.watch(target);
    refresher.tick();
    refresher.tick();
    refresher.tick();
    expect(refresher.view(target)).toMatchObject({ refreshing: true, stats: undefined });
    gated.open();
    await refresher.refreshing(target);
    expect(refresher.view(target)).toMatchObject({
      refreshing: false,
      source: 'refresh',
      stats: { objectCount: 13 },
      refreshes: { succeeded: 1, failed: 0 },
    });

    gated.release(); // closes the gate again for the next refresh
    refresher.tick(); // not due yet
    expect(refresher.view(target)?.refreshing).toBe(false);
    now += 10_000;
    refresher.tick();
    refresher.tick();
    expect(refresher.view(target)).toMatchObject({ refreshing: true, stats: { objectCount: 13 } });
    await refresher.stop();
  });

  it('refreshes at most `concurrency` targets at once', async () => {
    const gated = await fixture('a-1', 'a-2', 'a-3');
    const refresher = new StatsRefresher(createClient({ store: gated.store }), {
      intervalSeconds: 60,
      concurrency: 2,
      logger: silent,
    });
    for (const bucket of ['a-1', 'a-2', 'a-3'])
      refresher.watch({ bucket, prefix: '', mode: 'quick' });
    refresher.tick();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(refresher.views().filter((view) => view.refreshing)).toHaveLength(2);
    expect(gated.lists()).toBe(2);
    gated.open();
    await Promise.all(refresher.views().map((view) => refresher.refreshing(view.target)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await Promise.all(refresher.views().map((view) => refresher.refreshing(view.target)));
    expect(refresher.views().every((view) => view.refreshes.succeeded === 1)).toBe(true);
    await refresher.stop();
  });

  it('backs off after failures, doubling the wait, and recovers', async () => {
    const gated = await fixture('flaky');
    gated.open();
    gated.fail(true);
    let now = 0;
    const warnings: string[] = [];
    const infos: string[] = [];
    const refresher = new StatsRefresher(createClient({ store: gated.store }), {
      intervalSeconds: 60,
      concurrency: 1,
      logger: {
        ...silent,
        warn: (message: string) => warnings.push(message),
        info: (message: string) => infos.push(message),
      },
      now: () => now,
    });
    const target = { bucket: 'flaky', prefix: '', mode: 'quick' } as const;
    refresher.watch(target);
    const attempt = async () => {
      refresher.tick();
      await refresher.refreshing(target);
    };
    await attempt();
    expect(refresher.view(target)).toMatchObject({
      consecutiveFailures: 1,
      lastRefresh: { ok: false },
    });
    now += 4_999;
    await attempt(); // not due: 5 s after the first failure
    expect(gated.lists()).toBe(1);
    now += 1;
    await attempt();
    expect(refresher.view(target)?.consecutiveFailures).toBe(2);
    now += 9_999;
    await attempt(); // now 10 s
    expect(gated.lists()).toBe(2);
    now += 1;
    gated.fail(false);
    await attempt();
    expect(refresher.view(target)).toMatchObject({
      consecutiveFailures: 0,
      lastRefresh: { ok: true },
      refreshes: { succeeded: 1, failed: 2 },
    });
    // The same failure twice is logged once; the recovery is logged too.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /s3:\/\/flaky\/ \(quick\): refresh failed, retrying with back-off \(the next in 5 s\) .*the endpoint is down/,
    );
    expect(infos).toEqual(['s3://flaky/ (quick): refreshed again after 2 failed refreshes']);
    await refresher.stop();
  });
});
