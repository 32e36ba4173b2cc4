import { FACTS_PREFIX, PAST_FACTS } from '../../layout/listing-facts.js';
import { listInRanges, RangeBoundaryCollector } from '../../listing/list-in-ranges.js';
import type { DeltaInDeltaspace } from '../../stats/bucket-stats-aggregator.js';
import type { ResolvePolicy } from './head-runner.js';
import type { StatsRun } from './stats-run.js';

export interface StatsListing {
  readonly objectLimitReached: boolean;
  /** Deltas held back (from facts and HEADs) while a cache might still make them unnecessary. */
  readonly heldDeltas: readonly DeltaInDeltaspace[];
  /** Cut points for the next call's parallel listing. */
  readonly collector: RangeBoundaryCollector;
}

/** How each listed delta's original is looked for: HEADs only in a mode that reads every one. */
export function resolvePolicyOf(run: StatsRun): ResolvePolicy {
  return run.plan.heads === 'every' ? 'head' : 'facts';
}

/**
 * Lists the bucket (in parallel ranges, from the cut points the cache remembers or those found
 * as it lists) into the
 * aggregator, leaving the proxy's listing facts out. Every delta's original is looked for
 * during the listing (in listing facts, then, in a mode that reads every one, by HEAD) unless a
 * cache might make that unnecessary: deltas are held until the cache turns out missing or
 * outgrown.
 */
export async function listForStats(run: StatsRun): Promise<StatsListing> {
  const { options, aggregator, heads } = run;
  const cacheReading = run.cache.cachedRead();
  const policy = resolvePolicyOf(run);
  let headsDuringListing = !run.cache.mayServe;
  let heldDeltas: DeltaInDeltaspace[] = [];
  let pages = 0;
  let objects = 0;
  let objectLimitReached = false;
  const boundaries =
    options.listStrategy !== 'sequential' ? run.cache.cachedBoundaries() : undefined;
  const collector = new RangeBoundaryCollector();
  const listing = listInRanges(run.store, run.bucket, {
    prefix: run.prefix,
    signal: options.signal,
    boundaries,
    // Without cut points from a cache, find some (cold calls list in parallel too).
    split: options.listStrategy !== 'sequential',
    concurrency: options.listConcurrency,
    skip: { prefix: FACTS_PREFIX, resumeAfter: PAST_FACTS },
  });
  try {
    await run.timer.time('list', async () => {
      for await (const page of listing) {
        pages++;
        collector.addPage(page);
        for (const object of page) {
          if (options.maxObjects !== undefined && objects >= options.maxObjects) {
            objectLimitReached = true;
            break;
          }
          objects++;
          const delta = aggregator.add(object);
          if (delta) {
            if (headsDuringListing) heads.schedule(delta, policy);
            else heldDeltas.push(delta);
          }
        }
        options.onProgress?.({ phase: 'list', pages, objects });
        if (objectLimitReached) break;
        if (!headsDuringListing && cacheReading) {
          const read = await cacheReading;
          const listedSoFar = aggregator.fingerprint.summary().objectCount;
          if (read.kind !== 'found' || read.cache.validation.object_count < listedSoFar) {
            // No cache can match this listing any more: start the HEADs now.
            headsDuringListing = true;
            for (const held of heldDeltas) heads.schedule(held, policy);
            heldDeltas = [];
          }
        }
        await heads.waitForRoom();
      }
    });
  } catch (error) {
    // No result will use them: a failed listing (or a fallback to sequential) stops the HEADs.
    heads.cancel();
    throw error;
  }
  return { objectLimitReached, heldDeltas, collector };
}
