// A CI step: upload the build's archive with delta compression, then check what the bucket
// saves and fail the build when savings drop below a floor (a sign that archives stopped
// sharing bytes with their reference, e.g. after a packaging change).
//
//   DG_ENDPOINT_URL=http://127.0.0.1:9000 node examples/ci-upload-check.mjs FILE s3://BUCKET/DIR/ [MIN_RATIO]
import { createClient } from '@deltaglider/sdk';

const [file, destination, minRatio = '0.5'] = process.argv.slice(2);
const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(destination ?? '');
if (!file || !match) {
  console.error('usage: ci-upload-check.mjs FILE s3://BUCKET/DIR/ [MIN_RATIO]');
  process.exit(2);
}
const [, bucket, directory] = match;

const client = createClient({ endpoint: process.env.DG_ENDPOINT_URL });
const upload = await client.upload(file, bucket, directory);
console.log(
  `uploaded ${upload.key} as ${upload.storedAs} (${upload.storedSize} of ${upload.originalSize} bytes stored)`,
);

// The upload changed the listing, so this recomputes (and re-caches) the directory's stats.
const stats = await client.getBucketStats(bucket, { prefix: directory, mode: 'sampled' });
const ratio = stats.averageCompressionRatio;
console.log(
  `s3://${bucket}/${stats.prefix}: ${stats.objectCount} objects, ${(ratio * 100).toFixed(1)} % saved`,
);
if (ratio < Number(minRatio)) {
  console.error(
    `savings ${(ratio * 100).toFixed(1)} % are below the ${(Number(minRatio) * 100).toFixed(1)} % floor`,
  );
  process.exit(1);
}
