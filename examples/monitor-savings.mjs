// Prints a bucket's object count and savings ratio every minute, the way a dashboard polls it.
// Each poll costs one LIST (plus one GET while the bucket is unchanged): the cache in the
// bucket answers, and any change is picked up on the next poll.
//
//   DG_ENDPOINT_URL=http://127.0.0.1:9000 node examples/monitor-savings.mjs BUCKET [SECONDS] [POLLS]
import { createClient } from '@deltaglider/sdk';

const [bucket, seconds = '60', polls = 'Infinity'] = process.argv.slice(2);
if (!bucket) {
  console.error('usage: monitor-savings.mjs BUCKET [SECONDS] [POLLS]');
  process.exit(2);
}

const client = createClient({ endpoint: process.env.DG_ENDPOINT_URL });
for (let poll = 1; poll <= Number(polls); poll++) {
  const stats = await client.getBucketStats(bucket);
  const ratio = (stats.averageCompressionRatio * 100).toFixed(1);
  console.log(
    `${new Date().toISOString()} ${bucket}: ${stats.objectCount} objects, ${ratio} % saved (${stats.cache.status})`,
  );
  if (poll < Number(polls))
    await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
}
