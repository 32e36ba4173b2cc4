import { listAllObjects, statsCacheKey } from '@deltaglider/core';
import { createCountingObjectStore } from '@deltaglider/object-store-contract';
import { createClient } from '@deltaglider/sdk';
import type { CorpusShape } from './delta-corpus.js';
import { corpusTotalSize } from './delta-corpus.js';
import { withLatency } from './latency-object-store.js';
import { estimateError, measure } from './measure.js';
import { createMixedObjectStore } from './mixed-object-store.js';
import { createSyntheticObjectStore } from './synthetic-object-store.js';

// One simulated scenario in a fresh process, so its peak RSS is its own and not the heap an
// earlier scenario grew. The parent sends the job over IPC and gets the result back.

/**
 * The bucket: the release corpus of `shape`, or `mixed` objects shaped as issue 26's large
 * buckets (mixed-object-store.ts).
 */
export type SimulatedBucket = { readonly shape: CorpusShape } | { readonly mixed: number };

export type SimulatedJob = SimulatedBucket & {
  readonly rttMs: number;
  readonly concurrency: number;
  readonly scenario: 'cold quick' | 'warm quick' | 'sequential paging';
  /** The stats cache a previous cold call wrote, for a warm call. */
  readonly cache?: string;
};

export interface SimulatedResult {
  readonly requests: Record<string, number>;
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly note: string;
  /** The cache this call wrote, for the next (warm) scenario. */
  readonly cache?: string;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const CACHE_KEY = statsCacheKey('quick');

process.once('message', async (job: SimulatedJob) => {
  const bucketStore =
    'mixed' in job
      ? createMixedObjectStore('simulated', job.mixed)
      : createSyntheticObjectStore('simulated', job.shape);
  const counted = createCountingObjectStore(withLatency(bucketStore, job.rttMs));
  (globalThis as { gc?: () => void }).gc?.();
  // What the simulated bucket itself holds in this process (the mixed one keeps its keys).
  const storeRssMb = process.memoryUsage.rss() / 1048576;
  if (job.cache) await counted.put('simulated', CACHE_KEY, new TextEncoder().encode(job.cache));
  counted.reset();
  const client = createClient({ store: counted, concurrency: job.concurrency });
  let note = 'plain paging loop';
  const { wallMs, peakRssMb } = await measure(async () => {
    if (job.scenario === 'sequential paging') {
      for await (const _page of listAllObjects(counted, 'simulated')) {
        // The plain sequential loop a validating call is compared with.
      }
      return;
    }
    const stats = await client.getBucketStats('simulated');
    note =
      'mixed' in job
        ? `${stats.cache.status}, ${stats.objectCount} objects; process with its bucket ${Math.round(storeRssMb)} MB before`
        : `${stats.cache.status}, ${estimateError(stats.totalSize, corpusTotalSize(job.shape))}`;
  });
  const counts = counted.counts();
  const written = job.scenario === 'cold quick' ? await counted.get('simulated', CACHE_KEY) : null;
  let cache: string | undefined;
  if (written) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of written.body) chunks.push(chunk);
    cache = Buffer.concat(chunks).toString('utf8');
  }
  const result: SimulatedResult = {
    requests: {
      LIST: counts.list ?? 0,
      GET: counts.get ?? 0,
      HEAD: counts.head ?? 0,
      PUT: counts.put ?? 0,
    },
    wallMs,
    peakRssMb,
    note,
    ...(cache ? { cache } : {}),
  };
  process.send?.(result, () => process.exit(0));
});
