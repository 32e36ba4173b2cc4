import { readFileSync } from 'node:fs';
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
    peakRssMb: peakRssMb(),
    deltaObjects: stats.deltaObjects,
    originalsFrom: stats.originalsFrom,
    totalSize: stats.totalSize,
  }),
);
process.exit(0);

/**
 * The process's high-water mark (VmHWM), nothing sampled. Not resourceUsage().maxRSS: Linux
 * keeps ru_maxrss across exec, so a child of the bench (which holds the rows it generated)
 * would report the bench's size.
 */
function peakRssMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1]) / 1024;
}
