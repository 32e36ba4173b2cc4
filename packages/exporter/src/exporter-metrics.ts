import type { CacheStatistics } from '@deltaglider/sdk';
import { type MetricFamily, mergeFamilies, renderExposition } from './prometheus-exposition.js';
import { statsFamilies } from './stats-prometheus.js';
import type { TargetView } from './stats-refresher.js';

/**
 * The exporter's `/metrics` (every target) or `/probe` (one): s3_exporter's names where they
 * mean the same (objects and their stored bytes per bucket and prefix, whether the last listing
 * worked), DeltaGlider's savings and health gauges, and the exporter's own refresh and cache
 * figures.
 */
export function exporterMetrics(
  views: readonly TargetView[],
  cache: CacheStatistics | undefined,
): string {
  const groups: MetricFamily[][] = views.map(targetFamilies);
  if (cache) groups.push(cacheFamilies(cache));
  return renderExposition(mergeFamilies(groups));
}

function targetFamilies(view: TargetView): MetricFamily[] {
  const { target, stats, lastRefresh } = view;
  const labels = { bucket: target.bucket, prefix: target.prefix };
  const withMode = { ...labels, mode: target.mode };
  const gauge = (
    name: string,
    help: string,
    value: number | undefined,
    set: Record<string, string> = withMode,
  ) =>
    ({
      name,
      help,
      type: 'gauge',
      samples: value === undefined ? [] : [{ labels: set, value }],
    }) satisfies MetricFamily;
  const counter = (name: string, help: string, value: number) =>
    ({
      name,
      help,
      type: 'counter',
      samples: [{ labels: withMode, value }],
    }) satisfies MetricFamily;
  return [
    gauge(
      's3_list_success',
      'Whether the last listing of the bucket and prefix (its last refresh) worked.',
      lastRefresh === undefined ? undefined : lastRefresh.ok ? 1 : 0,
      labels,
    ),
    gauge(
      's3_objects_total',
      'Objects under the bucket and prefix as users see them (deltas and direct files).',
      stats?.objectCount,
      labels,
    ),
    gauge(
      's3_objects_size_sum_bytes',
      'Bytes those objects take in the bucket (stored, as billed).',
      stats?.compressedSize,
      labels,
    ),
    ...(stats ? statsFamilies(stats, view.ageSeconds ?? 0, { mode: target.mode }) : []),
    gauge(
      'deltaglider_monthly_average_stored_bytes',
      "This month's average of the bucket's daily stored bytes (its history): what storage is billed by.",
      view.history?.monthlyAverage?.storedBytes,
      { ...labels, month: view.history?.monthlyAverage?.month ?? '' },
    ),
    gauge(
      'deltaglider_last_refresh_success',
      '1 when the last background refresh worked, 0 when it failed.',
      lastRefresh === undefined ? undefined : lastRefresh.ok ? 1 : 0,
    ),
    gauge(
      'deltaglider_refresh_duration_seconds',
      'How long the last background refresh took.',
      lastRefresh?.durationSeconds,
    ),
    gauge(
      'deltaglider_refresh_in_progress',
      '1 while a background refresh runs (scrapes are answered from the last result).',
      view.refreshing ? 1 : 0,
    ),
    gauge(
      'deltaglider_refresh_consecutive_failures',
      'Failed refreshes in a row; retries back off.',
      view.consecutiveFailures,
    ),
    counter(
      'deltaglider_refreshes_total',
      'Background refreshes that worked.',
      view.refreshes.succeeded,
    ),
    counter(
      'deltaglider_refresh_failures_total',
      'Background refreshes that failed.',
      view.refreshes.failed,
    ),
    gauge(
      'deltaglider_stats_from_bucket_cache',
      "1 while the numbers are the bucket's cache as read at start, before the first refresh ended.",
      view.source === 'bucket cache' ? 1 : 0,
    ),
  ];
}

function cacheFamilies(cache: CacheStatistics): MetricFamily[] {
  const counter = (name: string, help: string, value: number): MetricFamily => ({
    name,
    help,
    type: 'counter',
    samples: [{ labels: {}, value }],
  });
  return [
    counter(
      'deltaglider_stats_cache_hits_total',
      'Refreshes answered from a stats cache that matched the listing (one LIST plus one GET).',
      cache.hits,
    ),
    counter(
      'deltaglider_stats_cache_misses_total',
      'Refreshes that found no stats cache and computed.',
      cache.misses,
    ),
    counter(
      'deltaglider_stats_cache_stale_total',
      'Refreshes that found a cache the bucket had moved on from, and recomputed.',
      cache.stale,
    ),
    counter(
      'deltaglider_stats_cache_errors_total',
      'Refreshes that got past cache trouble: a damaged cache, or a write that failed.',
      cache.errors,
    ),
  ];
}
