import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type FaultProxy,
  startFaultProxy,
  startTestS3Server,
  type TestS3Server,
} from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type DeltaGliderClient } from './create-client.js';
import { createDirectoryReferenceCache } from './reference-cache.js';
import { archiveVersions } from './test-support/archive-versions.js';

// Uploads racing each other and `rm`, through a proxy that slows PUT bodies or delays a DELETE,
// against the test server, which enforces conditional writes (the probe finds so): references
// are write-once. The same races with conditions ignored and listings lagging are in
// lagging-store-races.test.ts. Every upload that resolves must download byte-identical.

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const versions = archiveVersions(17, 2_000_000, 11);
let server: TestS3Server;
let proxy: FaultProxy;
let scratch: string;
let checker: DeltaGliderClient;

/**
 * A client of its own, as a separate `deltaglider` process would be: its own S3 client. It keeps
 * listing facts, so their writes and deletes race along with everything else.
 */
function racingClient(name: string): DeltaGliderClient {
  return createClient({
    endpoint: proxy.endpoint,
    credentials,
    listingFacts: 'on',
    referenceCache: createDirectoryReferenceCache(join(scratch, `cache-${name}`)),
  });
}

beforeAll(async () => {
  server = await startTestS3Server();
  proxy = await startFaultProxy(server);
  scratch = await mkdtemp(join(tmpdir(), 'dg-races-'));
  for (const [index, bytes] of versions.entries())
    await writeFile(join(scratch, `app-${index}.zip`), bytes);
  checker = createClient({
    endpoint: server.endpoint,
    credentials,
    referenceCache: createDirectoryReferenceCache(join(scratch, 'cache-checker')),
  });
});
afterAll(async () => {
  await proxy.stop();
  await server.stop();
  await rm(scratch, { recursive: true, force: true });
});

async function expectIntact(bucket: string, key: string, index: number): Promise<void> {
  const { path } = await checker.download(bucket, key, join(scratch, 'downloaded'));
  expect(sha256(await readFile(path)), `${key} downloads as uploaded`).toBe(
    sha256(versions[index]!),
  );
}

describe('racing first uploads into one empty directory', () => {
  it.each([2, 4, 8, 16])(
    '%i-way, PUT bodies at 20 MB/s, 20 rounds: every upload that resolved downloads intact',
    async (ways) => {
      proxy.setRules([{ type: 'PUT', fault: 'throttle', bytesPerSecond: 20_000_000 }]);
      const bucket = `race-${ways}`;
      await server.createBucket(bucket);
      const clients = Array.from({ length: ways }, (_, index) => racingClient(`${index}`));
      for (let round = 0; round < 20; round++) {
        const directory = `round-${round}/`;
        // Processes start a little apart, as separate `deltaglider cp` runs do.
        const results = await Promise.all(
          clients.map(async (client, index) => {
            await delay(Math.random() * 150);
            return client.upload(join(scratch, `app-${index + 1}.zip`), bucket, directory);
          }),
        );
        for (const [index, result] of results.entries())
          await expectIntact(bucket, result.key, index + 1);
      }
    },
    240_000,
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
      await server.createBucket(bucket);
      const remover = racingClient('remover');
      const uploader = racingClient('uploader');
      for (const startUploadAfter of [0, 100, 200, 400, 800]) {
        const directory = `after-${startUploadAfter}/`;
        proxy.setRules([]);
        await checker.upload(join(scratch, 'app-0.zip'), bucket, directory);
        if (_name === 'rm -r')
          await checker.upload(join(scratch, 'app-2.zip'), bucket, `${directory}keep/`);
        proxy.setRules([
          { type: 'DELETE', path: /\/reference\.bin$/, fault: 'delay', delayMs: 1500 },
          { type: 'DELETE_MANY', fault: 'delay', delayMs: 1500, skip: 1 },
        ]);
        const [removal, upload] = await Promise.allSettled([
          remove(remover, bucket, directory),
          delay(startUploadAfter).then(() =>
            uploader.upload(join(scratch, 'app-1.zip'), bucket, directory),
          ),
        ]);
        expect(removal.status).toBe('fulfilled');
        proxy.setRules([]);
        if (upload.status === 'fulfilled') await expectIntact(bucket, upload.value.key, 1);
      }
    },
    60_000,
  );
});
