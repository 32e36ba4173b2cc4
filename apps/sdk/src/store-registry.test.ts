import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type ObjectStore } from '@deltaglider/core';
import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import { registerStore, type StoreRequest, storeSchemes } from './store-registry.js';

// Stores by URL scheme: the built-in ones, memory:// for this process, and a third-party
// adapter plugged in with registerStore, as an Azure or GCS adapter package would.

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dg-registry-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const version = (text: string) => new TextEncoder().encode(`${text}\n`.repeat(2000));

describe('the store registry', () => {
  it('builds a registered adapter for its scheme, handing it the endpoint and settings', async () => {
    const requests: StoreRequest[] = [];
    const accounts = new Map<string, ObjectStore>();
    registerStore('az', (request) => {
      requests.push(request);
      const account = new URL(request.endpoint).host;
      const store = accounts.get(account) ?? createMemoryObjectStore({ buckets: ['releases'] });
      accounts.set(account, store);
      return store;
    });
    expect(storeSchemes()).toEqual(
      expect.arrayContaining(['az', 'file', 'http', 'https', 'memory', 's3']),
    );

    const client = createClient({
      endpoint: 'az://acme',
      s3: { region: 'eu-west-1' },
      conditionalPut: false,
      localStatsCache: false,
      cacheDirectory: join(scratch, 'cache'),
    });
    expect(requests).toEqual([
      expect.objectContaining({
        endpoint: 'az://acme',
        scheme: 'az',
        conditionalPut: false,
        s3: expect.objectContaining({ region: 'eu-west-1' }),
      }),
    ]);
    for (const name of ['app-1.0.0.zip', 'app-1.0.1.zip']) {
      await writeFile(join(scratch, name), version(name));
      await client.upload(join(scratch, name), 'releases', 'app/');
    }
    const stats = await client.getBucketStats('releases', { mode: 'detailed' });
    expect(stats).toMatchObject({
      deltaObjects: 2,
      referenceObjects: 1,
      totalSizeEstimated: false,
    });
    // The adapter's own store holds what the client wrote.
    const listed = await accounts.get('acme')?.list('releases', { prefix: 'app/' });
    expect(listed?.objects.map((object) => object.key)).toEqual([
      'app/app-1.0.0.zip.delta',
      'app/app-1.0.1.zip.delta',
      'app/reference.bin',
    ]);
  });

  it('keeps memory:// buckets for the process: clients naming the same store share them', async () => {
    const writer = createClient({
      endpoint: 'memory://shared?buckets=demo',
      localStatsCache: false,
      cacheDirectory: join(scratch, 'cache'),
    });
    await writeFile(join(scratch, 'notes.txt'), 'hello');
    await writer.upload(join(scratch, 'notes.txt'), 'demo', 'notes.txt');
    const reader = createClient({ endpoint: 'memory://shared', localStatsCache: false });
    expect((await reader.getBucketStats('demo')).directObjects).toBe(1);
    const other = createClient({ endpoint: 'memory://other?buckets=demo', localStatsCache: false });
    expect((await other.getBucketStats('demo')).objectCount).toBe(0);
  });

  it('refuses an endpoint no factory serves, naming the schemes there are', () => {
    const refused = () => createClient({ endpoint: 'gs://bucket-host' });
    expect(refused).toThrow(InvalidArgumentError);
    expect(refused).toThrow(
      /invalid endpoint "gs:\/\/bucket-host": use one of .*file:\/\/.*memory:\/\//,
    );
    expect(() => createClient({ endpoint: 's3://somewhere' })).toThrow(/s3:\/\/ \(or none\)/);
    expect(() => registerStore('not a scheme', () => createMemoryObjectStore())).toThrow(
      /invalid URL scheme/,
    );
  });
});
