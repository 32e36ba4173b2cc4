import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listAllObjects } from '@deltaglider/core';
import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import { createClient } from '@deltaglider/sdk';
import { startTestS3Server } from '@deltaglider/test-s3-server';
import { describe, expect, it } from 'vitest';
import { writeSimilarArchives } from './big-files-suite.js';
import { type CorpusRow, decodeRatios } from './codec-corpus-suite.js';
import {
  corpusEntries,
  corpusFactsSeedObjects,
  corpusSeedObjects,
  corpusTotalSize,
} from './delta-corpus.js';
import { withLatency } from './latency-object-store.js';
import { startLatencyProxy } from './latency-proxy.js';
import { createSyntheticObjectStore } from './synthetic-object-store.js';

// The bench's own parts must be right for its numbers to mean anything.

const shape = { deltaspaces: 12, versions: 30 };

describe('the facts scenario', () => {
  it('computes exact detailed stats of 10,000 deltas with listing facts in 22 LISTs and no HEAD', async () => {
    const server = await startTestS3Server();
    const ten = { deltaspaces: 100, versions: 100 };
    server.seedObjects('facts', corpusSeedObjects(ten));
    server.seedObjects('facts', corpusFactsSeedObjects(ten));
    try {
      const client = createClient({
        endpoint: server.endpoint,
        s3: { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
        localStatsCache: false,
      });
      server.resetRequests();
      // Paged sequentially, so the count is exact: a cold listing this long otherwise finds cut
      // points and lists in parallel, and how many LISTs that takes depends on timing.
      const stats = await client.getBucketStats('facts', {
        mode: 'detailed',
        listStrategy: 'sequential',
      });
      expect(stats.totalSize).toBe(corpusTotalSize(ten));
      expect(stats.originalsFrom).toEqual({ facts: 10_000, cache: 0, head: 0, estimate: 0 });
      // 12 pages of the bucket (the first ends in the facts namespace, which the listing then
      // jumps past: 10,100 objects) and 10 of the facts; the stats cache's GET (a miss) and PUT,
      // the day's history point (GET, PUT), and the two bucket settings asked before a first
      // cache write.
      expect(server.requestCounts()).toEqual({ LIST: 22, GET: 2, PUT: 2, OTHER: 2 });
    } finally {
      await server.stop();
    }
  });
});

describe('latency proxy', () => {
  it('adds the round trip to every request and counts requests by type', async () => {
    const server = await startTestS3Server();
    server.seedObjects('proxied', corpusSeedObjects(shape));
    const proxy = await startLatencyProxy(server, 40);
    try {
      const store = createS3ObjectStore({
        endpoint: proxy.endpoint,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });
      await store.list('proxied', { maxKeys: 1 });
      proxy.reset();
      const started = performance.now();
      await store.head('proxied', 'releases/app-00000/reference.bin');
      const elapsed = performance.now() - started;
      for await (const _page of listAllObjects(store, 'proxied', { pageSize: 100 })) {
        // four pages of 100 and one of 72
      }
      expect(elapsed).toBeGreaterThanOrEqual(38);
      expect(proxy.counts().requests).toEqual({ HEAD: 1, LIST: 4 });
    } finally {
      await proxy.stop();
      await server.stop();
    }
  });
});

describe('synthetic store', () => {
  it('lists the corpus in byte order, each key once, and HEAD returns its original size', async () => {
    const store = createSyntheticObjectStore('synthetic', shape);
    const listed: string[] = [];
    for await (const page of listAllObjects(store, 'synthetic', { pageSize: 77 }))
      listed.push(...page.map((o) => o.key));
    const expected = [...corpusEntries(shape)].map((entry) => entry.key);
    expect(listed).toEqual(
      [...expected].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    const head = await store.head('synthetic', 'releases/app-00003/v-00007.zip.delta');
    const entry = [...corpusEntries(shape)].find(
      (candidate) => candidate.key === 'releases/app-00003/v-00007.zip.delta',
    );
    expect(head?.metadata['dg-file-size']).toBe(String(entry?.originalSize));
    expect(corpusTotalSize(shape)).toBeGreaterThan(0);
  });

  it('merges what is written into its listing', async () => {
    const store = createSyntheticObjectStore('synthetic', shape);
    await store.put('synthetic', '.deltaglider/stats_quick.json', new TextEncoder().encode('{}'));
    const first = await store.list('synthetic', { maxKeys: 2 });
    expect(first.objects.map((o) => o.key)).toEqual([
      '.deltaglider/stats_quick.json',
      'releases/app-00000/reference.bin',
    ]);
    expect(first.objects[0]?.etag).toBe(`"${createHash('md5').update('{}').digest('hex')}"`);
  });
});

describe('withLatency', () => {
  it('waits a round trip, then answers exactly as the store it wraps', async () => {
    const inner = createMemoryObjectStore({ buckets: ['slow'] });
    const store = withLatency(inner, 30);
    const started = performance.now();
    const put = await store.put('slow', 'a/b.txt', new TextEncoder().encode('hello'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect(await store.head('slow', 'a/b.txt')).toEqual(await inner.head('slow', 'a/b.txt'));
    expect(await store.list('slow', { delimiter: '/' })).toEqual(
      await inner.list('slow', { delimiter: '/' }),
    );
    expect((await store.head('slow', 'a/b.txt'))?.etag).toBe(put.etag);
    await store.delete('slow', 'a/b.txt');
    expect(await inner.head('slow', 'a/b.txt')).toBeNull();
    expect(store.capabilities).toBe(inner.capabilities);
  });
});

describe('big-file corpora', () => {
  it('writes two archives that differ in a few places, the second 1 MiB longer', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dg-bench-corpus-'));
    try {
      const size = 130 * 1024 * 1024;
      await writeSimilarArchives(join(folder, 'a'), join(folder, 'b'), size);
      const a = await readFile(join(folder, 'a'));
      const b = await readFile(join(folder, 'b'));
      expect(a.length).toBe(size);
      expect(b.length).toBe(size + 1024 * 1024);
      let differing = 0;
      for (let offset = 0; offset < size; offset += 4096)
        if (!a.subarray(offset, offset + 4096).equals(b.subarray(offset, offset + 4096)))
          differing++;
      // One 4 KiB change per 64 MiB (spanning at most two pages each): 3 changes here.
      expect(differing).toBeGreaterThanOrEqual(3);
      expect(differing).toBeLessThanOrEqual(6);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe("the codec corpus's decode ratios", () => {
  const row = (pair: string, codec: string, seconds: Partial<CorpusRow>): CorpusRow => ({
    pair,
    bytes: 1,
    codec,
    deltaBytes: 1,
    encodeSeconds: 1,
    encodePeakRssMb: 1,
    decodeSeconds: 1,
    ourDecodeSeconds: undefined,
    ourDecodePeakRssMb: undefined,
    ourWarmDecodeSeconds: undefined,
    ioFloorSeconds: undefined,
    freshProgramDecodeSeconds: undefined,
    xdelta3CodecDecodeSeconds: undefined,
    ...seconds,
  });

  it("keeps each pair's lowest ratio of each kind, over the deltas our decoder read", () => {
    const rows = [
      row('a', 'xdelta3 -1', {
        decodeSeconds: 4,
        ourDecodeSeconds: 8,
        ourWarmDecodeSeconds: 2,
        freshProgramDecodeSeconds: 6,
        xdelta3CodecDecodeSeconds: 16,
      }),
      row('a', 'xdelta3 -9', {
        decodeSeconds: 6,
        ourDecodeSeconds: 4,
        ourWarmDecodeSeconds: 5,
        freshProgramDecodeSeconds: 5,
        xdelta3CodecDecodeSeconds: 6,
      }),
      // zstd's delta: our decoder cannot read it, so it counts for nothing
      row('a', 'zstd', { decodeSeconds: 0.001 }),
      row('b', 'ours -6', { decodeSeconds: 3, ourDecodeSeconds: 2 }),
    ];
    expect(decodeRatios(rows)).toEqual([
      {
        pair: 'a',
        freshAgainstProgram: 0.5,
        freshAgainstFreshProgram: 0.75,
        freshAgainstCodec: 1.5,
        warmAgainstProgram: 1.2,
      },
      {
        pair: 'b',
        freshAgainstProgram: 1.5,
        freshAgainstFreshProgram: undefined,
        freshAgainstCodec: undefined,
        warmAgainstProgram: undefined,
      },
    ]);
  });
});
