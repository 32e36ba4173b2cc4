import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { DeltaGliderClient } from './create-client.js';
import { archiveVersions } from './test-support/archive-versions.js';
import { useRaceBed } from './test-support/race-bed.js';

// Uploads racing each other and `rm`, through a proxy that slows PUT bodies or delays a DELETE,
// against the test server, which enforces conditional writes (the probe finds so): references
// are write-once. The same races with conditions ignored and listings lagging are in
// lagging-store-races.test.ts. Every upload that resolves must download byte-identical.

const bed = useRaceBed(archiveVersions(17, 2_000_000, 11), 'races');

/** It keeps listing facts, so their writes and deletes race along with everything else. */
const racingClient = (name: string) => bed.client(name, { listingFacts: 'on' });

// Rounds shrink as ways grow, so every case races 40 to 80 uploads: 16-way at 20 rounds took
// 238 s of a 240 s guard on a loaded 2-core machine, and proved no more than 5 rounds do.
describe('racing first uploads into one empty directory', () => {
  it.each([
    [2, 20],
    [4, 20],
    [8, 10],
    [16, 5],
  ])(
    '%i-way, PUT bodies at 20 MB/s, %i rounds: every upload that resolved downloads intact',
    async (ways, rounds) => {
      bed.proxy.setRules([{ type: 'PUT', fault: 'throttle', bytesPerSecond: 20_000_000 }]);
      const bucket = `race-${ways}`;
      await bed.server.createBucket(bucket);
      const clients = Array.from({ length: ways }, (_, index) => racingClient(`${index}`));
      for (let round = 0; round < rounds; round++) {
        const directory = `round-${round}/`;
        // Processes start a little apart, as separate `deltaglider cp` runs do.
        const results = await Promise.all(
          clients.map(async (client, index) => {
            await delay(Math.random() * 150);
            return client.upload(join(bed.scratch, `app-${index + 1}.zip`), bucket, directory);
          }),
        );
        for (const [index, result] of results.entries())
          await bed.expectIntact(bucket, result.key, index + 1);
      }
    },
    // Only a guard against a hang: a busy machine may take several times the usual 60 s.
    600_000,
  );
});

describe("rm of a directory's last delta racing an upload into it", () => {
  it.each([
    [
      'rm',
      (client: DeltaGliderClient, bucket: string, directory: string) =>
        client.remove(bucket, `${directory}app-0.zip`),
    ],
    [
      'rm -r',
      (client: DeltaGliderClient, bucket: string, directory: string) =>
        client.removeRecursive(bucket, directory),
    ],
  ] as const)(
    '%s, the reference DELETE delayed 1.5 s: the upload that resolved downloads intact',
    async (_name, remove) => {
      const bucket = `rm-race-${_name === 'rm' ? 'one' : 'tree'}`;
      await bed.server.createBucket(bucket);
      const remover = racingClient('remover');
      const uploader = racingClient('uploader');
      for (const startUploadAfter of [0, 100, 200, 400, 800]) {
        const directory = `after-${startUploadAfter}/`;
        bed.proxy.setRules([]);
        await bed.checker.upload(join(bed.scratch, 'app-0.zip'), bucket, directory);
        if (_name === 'rm -r')
          await bed.checker.upload(join(bed.scratch, 'app-2.zip'), bucket, `${directory}keep/`);
        bed.proxy.setRules([
          { type: 'DELETE', path: /\/reference\.bin$/, fault: 'delay', delayMs: 1500 },
          { type: 'DELETE_MANY', fault: 'delay', delayMs: 1500, skip: 1 },
        ]);
        const [removal, upload] = await Promise.allSettled([
          remove(remover, bucket, directory),
          delay(startUploadAfter).then(() =>
            uploader.upload(join(bed.scratch, 'app-1.zip'), bucket, directory),
          ),
        ]);
        expect(removal.status).toBe('fulfilled');
        bed.proxy.setRules([]);
        if (upload.status === 'fulfilled') await bed.expectIntact(bucket, upload.value.key, 1);
      }
    },
    60_000,
  );
});
