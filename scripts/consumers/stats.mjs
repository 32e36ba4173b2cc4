// An ESM project using the installed tarballs: stats of a file:// store through the SDK, and
// through core with a store of its own (a custom ObjectStore delegating to the memory one).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getBucketStats } from '@deltaglider/core';
import { createExporter } from '@deltaglider/exporter';
import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import { createClient } from '@deltaglider/sdk';

const root = mkdtempSync(join(tmpdir(), 'dg-consumer-'));
mkdirSync(join(root, 'releases'));
const viaSdk = await createClient({ endpoint: `file://${root}` }).getBucketStats('releases');

const memory = createMemoryObjectStore();
await memory.createBucket('own');
await memory.put('own', 'app/reference.bin', new Uint8Array(100));
await memory.put('own', 'app/a.zip.delta', new Uint8Array(10), {
  metadata: { 'dg-file-size': '100' },
});
const custom = { ...memory, capabilities: memory.capabilities };
const viaCore = await getBucketStats({ store: custom }, 'own', { mode: 'detailed' });
// The exporter over the same client, on a free port: one scrape.
const exporter = createExporter({
  client: createClient({ endpoint: `file://${root}` }),
  targets: [],
});
const { url } = await exporter.listen({ port: 0 });
const healthy = (await (await fetch(`${url}/healthz`)).text()) === 'ok\n';
await exporter.close();
if (!healthy) throw new Error('the exporter did not answer /healthz');
console.log(`esm ${viaSdk.objectCount} ${viaCore.objectCount} ${viaCore.totalSize}`);
