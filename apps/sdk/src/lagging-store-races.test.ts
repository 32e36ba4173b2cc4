import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type Clock, listAllObjects, SourceChangedError } from '@deltaglider/core';
import { describe, expect, it } from 'vitest';
import type { DeltaGliderClient } from './create-client.js';
import { archiveVersions } from './test-support/archive-versions.js';
import { sha256, useRaceBed } from './test-support/race-bed.js';

// Races on stores whose listings lag behind writes (a new key hidden, a deleted one still
// shown) and whose clients stall, through a proxy in front of the S3 test server. The server
// enforces conditional writes; the proxy can drop the conditions, so the same races also run
// against a server that ignores them. Nothing here may rest on a listing or a timer: every
// upload that resolves must download byte-identical, every round.

const versions = archiveVersions(9, 600_000, 29);
const bed = useRaceBed(versions, 'lag');
let clients = 0;

/** A client of its own, as a separate process would be, through the proxy, keeping facts. */
function racingClient(options: { clock?: Clock } = {}): DeltaGliderClient {
  clients++;
  return bed.client(`${clients}`, { listingFacts: 'on', ...options });
}

async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of listAllObjects(bed.checker.store, bucket, { prefix }))
    keys.push(...page.map((object) => object.key));
  return keys;
}

const servers = [
  ['enforces conditional writes', false],
  ['ignores conditional writes', true],
] as const;

describe('the lagging proxy', () => {
  it('hides a new key from listings and keeps showing a deleted one, for the lag', async () => {
    await bed.server.createBucket('lag-check');
    const store = racingClient().store;
    // Long enough that the listing right after the writes falls inside it on a busy machine.
    bed.proxy.setListingLag(3_000);
    try {
      await store.put('lag-check', 'old.txt', new Uint8Array(3));
      await delay(3_100);
      await store.put('lag-check', 'new.txt', new Uint8Array(4));
      await store.delete('lag-check', 'old.txt');
      const listed = (await store.list('lag-check')).objects.map((o) => o.key);
      expect(listed).toEqual(['old.txt']);
      expect(await store.head('lag-check', 'new.txt')).not.toBeNull();
      await delay(3_100);
      expect((await store.list('lag-check')).objects.map((o) => o.key)).toEqual(['new.txt']);
    } finally {
      bed.proxy.setListingLag(0);
    }
  });
});

describe.each(servers)('on a server that %s', (_name, ignoreConditions) => {
  const bucketFor = (what: string) => `${what}-${ignoreConditions ? 'lenient' : 'strict'}`;

  it.each([0, 1_000, 5_000])(
    'rm of the last delta racing cp into the directory, listings %i ms behind: nothing lost',
    async (lagMs) => {
      const bucket = bucketFor(`rm-race-${lagMs}`);
      await bed.server.createBucket(bucket);
      const remover = racingClient();
      const uploaders = [racingClient(), racingClient()];
      bed.proxy.setIgnoreConditions(ignoreConditions);
      bed.proxy.setListingLag(lagMs);
      try {
        for (let round = 0; round < 4; round++) {
          const directory = `round-${round}/`;
          // The directory's reference and its one delta exist (made straight at the server).
          await bed.checker.upload(join(bed.scratch, 'app-0.zip'), bucket, directory);
          bed.proxy.setRules([{ type: 'DELETE', fault: 'delay', delayMs: 300 }]);
          const [removal, ...uploads] = await Promise.allSettled([
            remover.remove(bucket, `${directory}app-0.zip`),
            ...uploaders.map(async (client, index) => {
              await delay(Math.random() * 400);
              return client.upload(join(bed.scratch, `app-${index + 1}.zip`), bucket, directory);
            }),
          ]);
          bed.proxy.setRules([]);
          expect(removal.status).toBe('fulfilled');
          for (const [index, upload] of uploads.entries()) {
            expect(upload.status, `upload ${index + 1}, round ${round}`).toBe('fulfilled');
            if (upload.status === 'fulfilled')
              await bed.expectIntact(bucket, upload.value.key, index + 1);
          }
          // rm never deletes a reference: gc frees it later.
          expect(await bed.checker.store.head(bucket, `${directory}reference.bin`)).not.toBeNull();
        }
      } finally {
        bed.proxy.setListingLag(0);
        bed.proxy.setIgnoreConditions(false);
      }
    },
    120_000,
  );

  it.each([0, 1_000, 5_000])(
    'racing first uploads into one empty directory, listings %i ms behind: nothing lost',
    async (lagMs) => {
      const bucket = bucketFor(`first-${lagMs}`);
      await bed.server.createBucket(bucket);
      const racers = Array.from({ length: 4 }, () => racingClient());
      bed.proxy.setIgnoreConditions(ignoreConditions);
      bed.proxy.setListingLag(lagMs);
      bed.proxy.setRules([{ type: 'PUT', fault: 'throttle', bytesPerSecond: 4_000_000 }]);
      try {
        for (let round = 0; round < 4; round++) {
          const directory = `round-${round}/`;
          const results = await Promise.all(
            racers.map(async (client, index) => {
              await delay(Math.random() * 100);
              return client.upload(join(bed.scratch, `app-${index + 1}.zip`), bucket, directory);
            }),
          );
          for (const [index, result] of results.entries())
            await bed.expectIntact(bucket, result.key, index + 1);
          const references = results.filter((result) => result.storedAs === 'reference');
          // Write-once: at most one upload made the reference; where the server ignores
          // conditions, none may (a reference could be replaced), so all are stored whole.
          expect(references.length).toBe(ignoreConditions ? 0 : 1);
          if (ignoreConditions) expect(results.every((r) => r.storedAs === 'direct')).toBe(true);
        }
      } finally {
        bed.proxy.setRules([]);
        bed.proxy.setListingLag(0);
        bed.proxy.setIgnoreConditions(false);
      }
    },
    120_000,
  );

  it('a creator whose reference PUT stalls past every other upload loses nothing', async () => {
    const bucket = bucketFor('stalled-creator');
    await bed.server.createBucket(bucket);
    const stalled = racingClient();
    bed.proxy.setIgnoreConditions(ignoreConditions);
    // The stalled creator's reference PUT is held 6 s, as a stalled connection would.
    bed.proxy.setRules([
      { type: 'PUT', path: /\/reference\.bin$/, fault: 'delay', delayMs: 6_000 },
    ]);
    try {
      const slow = stalled.upload(join(bed.scratch, 'app-1.zip'), bucket, 'dir/');
      await delay(500);
      // Meanwhile others upload straight to the server: the first creates the reference (where
      // conditions hold), the next deltas against it.
      const fast = await bed.checker.upload(join(bed.scratch, 'app-2.zip'), bucket, 'dir/');
      const next = await bed.checker.upload(join(bed.scratch, 'app-3.zip'), bucket, 'dir/');
      const late = await slow;
      await bed.expectIntact(bucket, fast.key, 2);
      await bed.expectIntact(bucket, next.key, 3);
      await bed.expectIntact(bucket, late.key, 1);
      if (!ignoreConditions) {
        expect(fast.storedAs).toBe('reference');
        expect(next.storedAs).toBe('delta');
        // Its PUT landed after the reference existed: refused, so it deltas against that one.
        expect(late.storedAs).toBe('delta');
      }
    } finally {
      bed.proxy.setRules([]);
      bed.proxy.setIgnoreConditions(false);
    }
  }, 60_000);

  it('a reference PUT slower than every other upload loses nothing', async () => {
    const bucket = bucketFor('slow-reference');
    await bed.server.createBucket(bucket);
    const slowClient = racingClient();
    const others = [racingClient(), racingClient()];
    bed.proxy.setIgnoreConditions(ignoreConditions);
    // 600 KB at 100 KB/s: six seconds for the reference body alone.
    bed.proxy.setRules([
      {
        type: 'PUT',
        path: /\/reference\.bin$/,
        fault: 'throttle',
        bytesPerSecond: 100_000,
        times: 1,
      },
    ]);
    try {
      const slow = slowClient.upload(join(bed.scratch, 'app-4.zip'), bucket, 'dir/');
      await delay(300);
      const quick = await Promise.all(
        others.map((client, index) =>
          client.upload(join(bed.scratch, `app-${index + 5}.zip`), bucket, 'dir/'),
        ),
      );
      const late = await slow;
      await bed.expectIntact(bucket, late.key, 4);
      for (const [index, result] of quick.entries())
        await bed.expectIntact(bucket, result.key, index + 5);
    } finally {
      bed.proxy.setRules([]);
      bed.proxy.setIgnoreConditions(false);
    }
  }, 60_000);
});

describe('gc racing uploads', () => {
  it.each([0, 5_000])(
    'deletes no reference an upload that resolved depends on, listings %i ms behind',
    async (lagMs) => {
      const bucket = `gc-race-${lagMs}`;
      await bed.server.createBucket(bucket);
      const collector = racingClient();
      const uploader = racingClient();
      bed.proxy.setListingLag(lagMs);
      try {
        for (let round = 0; round < 10; round++) {
          const directory = `round-${round}/`;
          await bed.checker.upload(join(bed.scratch, 'app-0.zip'), bucket, directory);
          await bed.checker.remove(bucket, `${directory}app-0.zip`);
          // Two runs with no grace: the first marks the now unreferenced reference, the second
          // retires it, while an upload starts using it.
          await collector.collectGarbage(bucket, directory, { olderThanMs: 0 });
          const [collected, upload] = await Promise.allSettled([
            (async () => {
              await delay(Math.random() * 200);
              return collector.collectGarbage(bucket, directory, { olderThanMs: 0 });
            })(),
            uploader.upload(join(bed.scratch, `app-${1 + (round % 8)}.zip`), bucket, directory),
          ]);
          expect(collected.status).toBe('fulfilled');
          expect(upload.status).toBe('fulfilled');
          if (upload.status === 'fulfilled')
            await bed.expectIntact(bucket, upload.value.key, 1 + (round % 8));
        }
      } finally {
        bed.proxy.setListingLag(0);
      }
    },
    120_000,
  );

  it('marks first, deletes on a run past the grace period, by the server clock', async () => {
    const bucket = 'gc-clock';
    await bed.server.createBucket(bucket);
    await bed.checker.upload(join(bed.scratch, 'app-0.zip'), bucket, 'dir/');
    await bed.checker.remove(bucket, 'dir/app-0.zip');
    // This client's clock runs 10 minutes ahead, the other's 10 minutes behind: neither counts.
    const ahead = racingClient({ clock: shiftedClock(10 * 60_000) });
    const behind = racingClient({ clock: shiftedClock(-10 * 60_000) });
    const first = await ahead.collectGarbage(bucket, '', { olderThanMs: 5 * 60_000 });
    expect(first.marked).toEqual(['dir/reference.bin']);
    const second = await behind.collectGarbage(bucket, '', { olderThanMs: 5 * 60_000 });
    expect(second).toMatchObject({ deleted: [], waiting: ['dir/reference.bin'] });
    expect(await bed.checker.store.head(bucket, 'dir/reference.bin')).not.toBeNull();
    await delay(1_100);
    const third = await ahead.collectGarbage(bucket, '', { olderThanMs: 1_000 });
    expect(third.deleted).toContain('dir/reference.bin');
    expect(await bed.checker.store.head(bucket, 'dir/reference.bin')).toBeNull();
    expect(await keysUnder(bucket, '.deltaglider/unreferenced/')).toEqual([]);
    expect(await keysUnder(bucket, '.deltaglider/retiring/')).toEqual([]);
  });

  it('keeps a reference a delta uses, and forgets its mark once one does', async () => {
    const bucket = 'gc-kept';
    await bed.server.createBucket(bucket);
    await bed.checker.upload(join(bed.scratch, 'app-0.zip'), bucket, 'dir/');
    await bed.checker.remove(bucket, 'dir/app-0.zip');
    expect((await bed.checker.collectGarbage(bucket, '', { olderThanMs: 0 })).marked).toHaveLength(
      1,
    );
    await bed.checker.upload(join(bed.scratch, 'app-1.zip'), bucket, 'dir/');
    const run = await bed.checker.collectGarbage(bucket, '', { olderThanMs: 0 });
    expect(run.deleted).toEqual([]);
    await bed.expectIntact(bucket, 'dir/app-1.zip', 1);
    expect(await keysUnder(bucket, '.deltaglider/unreferenced/')).toEqual([]);
  });
});

describe('a file changed while cp reads it', () => {
  it('uploads one consistent version or fails, never leaves an object that cannot be read', async () => {
    const bucket = 'changing';
    await bed.server.createBucket(bucket);
    const client = racingClient();
    const file = join(bed.scratch, 'changing-app.zip');
    bed.proxy.setRules([{ type: 'PUT', fault: 'throttle', bytesPerSecond: 200_000 }]);
    try {
      // A first upload: its reference PUT (600 KB at 200 KB/s) is still going at 400 ms.
      for (const [what, at, directory] of [
        ['during the hash', 0, 'early/'],
        ['during the upload', 400, 'late/'],
      ] as const) {
        await writeFile(file, versions[1]!);
        // Its outcome is taken at once: the upload may fail while the file is being rewritten.
        const upload = client.upload(file, bucket, directory).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        );
        await delay(at);
        await writeFile(file, versions[2]!);
        const outcome = await upload;
        if ('error' in outcome) {
          expect(SourceChangedError.isInstance(outcome.error), what).toBe(true);
          await expect(
            bed.checker.download(
              bucket,
              `${directory}changing-app.zip`,
              join(bed.scratch, 'downloaded'),
            ),
          ).rejects.toThrow();
          // The reference it created went too: nothing else could have used it.
          expect(await bed.checker.store.head(bucket, `${directory}reference.bin`)).toBeNull();
        } else {
          const { path } = await bed.checker.download(
            bucket,
            `${directory}changing-app.zip`,
            join(bed.scratch, 'downloaded'),
          );
          const got = sha256(await readFile(path));
          expect([sha256(versions[1]!), sha256(versions[2]!)], what).toContain(got);
        }
      }
    } finally {
      bed.proxy.setRules([]);
    }
  }, 60_000);
});

function shiftedClock(offsetMs: number): Clock {
  return {
    now: () => new Date(Date.now() + offsetMs),
    elapsedMs: () => performance.now(),
  };
}
