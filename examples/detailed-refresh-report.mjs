// A nightly report: recomputes exact (detailed) stats, ignoring and then rewriting the cache,
// and fails (exit 1) when the numbers are incomplete or references are orphaned.
//
//   DG_ENDPOINT_URL=http://127.0.0.1:9000 node examples/detailed-refresh-report.mjs BUCKET
import { createClient } from '@deltaglider/sdk';

const bucket = process.argv[2];
if (!bucket) {
  console.error('usage: detailed-refresh-report.mjs BUCKET');
  process.exit(2);
}

const client = createClient({ endpoint: process.env.DG_ENDPOINT_URL, concurrency: 64 });
const started = Date.now();
const stats = await client.getBucketStats(bucket, { mode: 'detailed', refreshCache: true });
const mib = (bytes) => `${(bytes / 1048576).toFixed(2)} MiB`;

console.log(`Detailed stats for ${bucket}, recomputed in ${Date.now() - started} ms`);
console.log(
  `  objects   ${stats.objectCount} (${stats.deltaObjects} delta, ${stats.directObjects} direct)`,
);
console.log(`  original  ${mib(stats.totalSize)}`);
console.log(`  stored    ${mib(stats.compressedSize)}`);
console.log(
  `  saved     ${mib(stats.spaceSaved)} (${(stats.averageCompressionRatio * 100).toFixed(1)} %)`,
);
for (const orphan of stats.orphanedReferences) {
  console.log(`  orphaned reference ${orphan.key} (${orphan.size} bytes)`);
}
if (stats.incomplete) {
  console.log(
    `  INCOMPLETE: ${stats.failedHeads} failed HEADs, ${stats.deltasWithoutMetadata} deltas without size`,
  );
}
console.log(`  cache     ${stats.cache.written ? 'rewritten' : 'not written'}`);
process.exitCode = stats.incomplete || stats.orphanedReferences.length > 0 ? 1 : 0;
