import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient } from '@deltaglider/sdk';
import { startLatencyProxy } from './latency-proxy.js';
import type { ServerChild } from './server-child.js';

// How many files `cp -r` should copy at once: a release tree (10 directories, each 4 similar
// 2 MiB archives and 4 small text files) up and down through a proxy adding a network round
// trip, at several concurrencies. Each upload is many requests (intents, HEADs, PUTs), so
// latency, not bandwidth, is what parallel files hide.

export interface BulkRow {
  readonly concurrency: number;
  readonly uploadSeconds: number;
  readonly downloadSeconds: number;
  readonly requests: number;
}

const MIB = 1024 * 1024;

async function writeTree(root: string): Promise<void> {
  for (let directory = 0; directory < 10; directory++) {
    const folder = join(root, `app-${directory}`);
    await mkdir(folder, { recursive: true });
    const base = Buffer.alloc(2 * MIB);
    for (let offset = 0; offset < base.length; offset += 4)
      base.writeUInt32LE((offset * 2654435761 + directory) >>> 0, offset);
    for (let version = 0; version < 4; version++) {
      base.writeUInt32LE(version, 4096 * (version + 1));
      await writeFile(join(folder, `app-1.0.${version}.zip`), base);
      await writeFile(join(folder, `notes-${version}.txt`), `release notes ${version}\n`);
    }
  }
}

export async function measureBulkConcurrency(
  server: ServerChild,
  directory: string,
  rttMs: number,
  concurrencies: readonly number[],
): Promise<BulkRow[]> {
  const tree = join(directory, 'bulk-tree');
  await writeTree(tree);
  const proxy = await startLatencyProxy(server, rttMs);
  const rows: BulkRow[] = [];
  try {
    for (const concurrency of concurrencies) {
      const bucket = `bulk-${concurrency}`;
      await server.send({ type: 'createBucket', bucket });
      const client = createClient({
        endpoint: proxy.endpoint,
        s3: { credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } },
        cacheDirectory: join(directory, `bulk-cache-${concurrency}`),
      });
      proxy.reset();
      let started = performance.now();
      const up = await client.uploadDirectory(tree, bucket, 'releases/', { concurrency });
      const uploadSeconds = (performance.now() - started) / 1000;
      await rm(join(directory, `bulk-cache-${concurrency}`), { recursive: true, force: true });
      started = performance.now();
      const down = await client.downloadDirectory(
        bucket,
        'releases/',
        join(directory, 'bulk-down'),
        {
          concurrency,
        },
      );
      const downloadSeconds = (performance.now() - started) / 1000;
      if (up.failed + down.failed > 0) throw new Error(`bulk copy failed at ${concurrency}`);
      const requests = Object.values(proxy.counts().requests).reduce(
        (sum, count) => sum + count,
        0,
      );
      rows.push({ concurrency, uploadSeconds, downloadSeconds, requests });
      console.log(
        `cp -r 80 files (40 x 2 MiB archives) at concurrency ${String(concurrency).padStart(2)}, ${rttMs} ms RTT: up ${uploadSeconds.toFixed(1)} s, down ${downloadSeconds.toFixed(1)} s, ${requests} requests`,
      );
      await rm(join(directory, 'bulk-down'), { recursive: true, force: true });
    }
  } finally {
    await proxy.stop();
    await rm(tree, { recursive: true, force: true });
  }
  return rows;
}
