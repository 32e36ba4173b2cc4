// The same from CommonJS: require() of every library.
const { mkdirSync, mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { getBucketStats } = require('@deltaglider/core');
const { createMemoryObjectStore } = require('@deltaglider/memory-adapter');
const { createClient } = require('@deltaglider/sdk');
require('@deltaglider/s3-adapter');
require('@deltaglider/fs-adapter');
require('@deltaglider/xdelta3-codec');
require('@deltaglider/vcdiff-codec');
require('@deltaglider/exporter');

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'dg-consumer-'));
  mkdirSync(join(root, 'releases'));
  const viaSdk = await createClient({ endpoint: `file://${root}` }).getBucketStats('releases');
  const memory = createMemoryObjectStore();
  await memory.createBucket('own');
  await memory.put('own', 'app/reference.bin', new Uint8Array(100));
  await memory.put('own', 'app/a.zip.delta', new Uint8Array(10), {
    metadata: { 'dg-file-size': '100' },
  });
  const viaCore = await getBucketStats({ store: memory }, 'own', { mode: 'detailed' });
  console.log(`cjs ${viaSdk.objectCount} ${viaCore.objectCount} ${viaCore.totalSize}`);
}
main();
