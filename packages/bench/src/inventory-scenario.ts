import { createClient } from '@deltaglider/sdk';

// One inventory read, in a process of its own so its peak memory is its own:
//   node inventory-scenario.js BUCKET INVENTORY_URL [ENDPOINT]
// Prints one JSON line: wall time, rows, peak RSS and the headline numbers.

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const [bucket, inventory, endpoint] = process.argv.slice(2) as [string, string, string?];
const client = createClient({
  endpoint,
  s3: { credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } },
  localStatsCache: false,
});
const started = performance.now();
const stats = await client.getInventoryStats(bucket, { inventory });
const wallMs = performance.now() - started;
console.log(
  JSON.stringify({
    wallMs,
    rows: stats.inventory.rows,
    files: stats.inventory.files,
    // maxRSS is in kilobytes: the process's high-water mark, nothing sampled.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    deltaObjects: stats.deltaObjects,
    originalsFrom: stats.originalsFrom,
    totalSize: stats.totalSize,
  }),
);
process.exit(0);
