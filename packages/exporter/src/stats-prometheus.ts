import type { Billing, BucketStats, BucketStatsResult, MonthlyCost } from '@deltaglider/sdk';
import { type MetricFamily, renderExposition } from './prometheus-exposition.js';

const metrics: [
  name: string,
  help: string,
  value: (stats: BucketStats, ageSeconds: number) => number,
][] = [
  ['deltaglider_objects', 'Objects users stored: deltas plus direct files.', (s) => s.objectCount],
  ['deltaglider_delta_objects', 'Objects stored as xdelta3 deltas.', (s) => s.deltaObjects],
  ['deltaglider_direct_objects', 'Objects stored as they are.', (s) => s.directObjects],
  ['deltaglider_original_bytes', 'Bytes the objects would take unpacked.', (s) => s.totalSize],
  ['deltaglider_stored_bytes', 'Bytes user data takes in the bucket.', (s) => s.compressedSize],
  ['deltaglider_saved_bytes', 'Original bytes minus stored bytes.', (s) => s.spaceSaved],
  [
    'deltaglider_savings_ratio',
    'Saved bytes over original bytes, 0 to 1 (higher is better).',
    (s) => s.averageCompressionRatio,
  ],
  [
    'deltaglider_orphaned_reference_bytes',
    'References no delta uses, not counted as stored.',
    (s) => s.orphanedReferenceBytes,
  ],
  [
    'deltaglider_unrecoverable_deltas',
    'Deltas whose directory has no reference.bin: they cannot be rebuilt.',
    (s) => s.unrecoverableDeltas,
  ],
  [
    'deltaglider_unrecoverable_delta_bytes',
    'Bytes of deltas that cannot be rebuilt, not counted as stored.',
    (s) => s.unrecoverableDeltaBytes,
  ],
  [
    'deltaglider_stats_estimated',
    '1 when some original sizes are estimated.',
    (s) => (s.totalSizeEstimated ? 1 : 0),
  ],
  [
    'deltaglider_stats_incomplete',
    '1 when HEADs failed or the listing was capped.',
    (s) => (s.incomplete ? 1 : 0),
  ],
  [
    'deltaglider_stats_age_seconds',
    'Age of the numbers: 0 when just computed.',
    (_, ageSeconds) => ageSeconds,
  ],
];

/**
 * The stats as metric families: one gauge per number, labelled by bucket and prefix (so the
 * stats of a prefix never collide with the whole bucket's), plus one gauge per health grade
 * counting the deltaspaces that have it.
 */
export function statsFamilies(
  stats: BucketStats & { readonly billing?: Billing; readonly cost?: MonthlyCost },
  ageSeconds: number,
  extraLabels: Readonly<Record<string, string>> = {},
): MetricFamily[] {
  const labels = { bucket: stats.bucket, prefix: stats.prefix, ...extraLabels };
  const families: MetricFamily[] = metrics.map(([name, help, value]) => ({
    name,
    help,
    type: 'gauge',
    samples: [{ labels, value: value(stats, ageSeconds) }],
  }));
  const health = stats.deltaspaceHealth;
  const grades: [string, number][] = [
    ['excellent', health.excellent],
    ['good', health.good],
    ['fair', health.fair],
    ['poor', health.poor],
    ['no_reference', health.noReference],
  ];
  families.push({
    name: 'deltaglider_deltaspaces',
    help: 'Deltaspaces with deltas, by health grade (median delta over reference size).',
    type: 'gauge',
    samples: grades.map(([grade, value]) => ({ labels: { ...labels, health: grade }, value })),
  });
  // Caches written before storage classes were counted have none: no family then.
  if (stats.storageClasses?.length) {
    families.push({
      name: 'deltaglider_storage_class_bytes',
      help: 'Bytes listed in the bucket (or prefix) by storage class, as the bill prices them.',
      type: 'gauge',
      samples: stats.storageClasses.map((total) => ({
        labels: { ...labels, storage_class: total.storageClass },
        value: total.bytes,
      })),
    });
  }
  if (stats.billing) families.push(...billingFamilies(stats.billing, labels));
  if (stats.cost)
    families.push({
      name: 'deltaglider_estimated_monthly_cost_dollars',
      help: 'Estimated storage cost a month at the given prices (currency label): stored, and without deltas.',
      type: 'gauge',
      samples: [
        {
          labels: { ...labels, kind: 'stored', currency: stats.cost.currency },
          value: stats.cost.stored,
        },
        {
          labels: { ...labels, kind: 'without_deltas', currency: stats.cost.currency },
          value: stats.cost.withoutDeltas,
        },
      ],
    });
  const from = stats.originalsFrom;
  if (from) {
    families.push({
      name: 'deltaglider_delta_originals',
      help: 'Deltas by where their original size came from: listing facts, the known-originals cache, a HEAD, or an estimate.',
      type: 'gauge',
      samples: (['facts', 'cache', 'head', 'estimate'] as const).map((source) => ({
        labels: { ...labels, source },
        value: from[source],
      })),
    });
  }
  return families;
}

/** The bill's bytes; older versions only where they were listed (`--versions`). */
function billingFamilies(billing: Billing, labels: Record<string, string>): MetricFamily[] {
  const gauge = (name: string, help: string, value: number): MetricFamily => ({
    name,
    help,
    type: 'gauge',
    samples: [{ labels, value }],
  });
  const families = [
    gauge(
      'deltaglider_billed_bytes',
      'Bytes the bill counts: listed bytes, plus older versions and upload parts when listed.',
      billing.billedBytes,
    ),
  ];
  const { versions } = billing;
  if (versions?.listed)
    families.push(
      gauge(
        'deltaglider_noncurrent_version_bytes',
        'Bytes of older versions: billed until they expire.',
        versions.noncurrentBytes,
      ),
      gauge('deltaglider_delete_markers', 'Delete markers kept.', versions.deleteMarkers),
    );
  const { uploads } = billing;
  if (uploads?.listed)
    families.push(
      gauge(
        'deltaglider_incomplete_uploads',
        'Multipart uploads begun and never completed nor aborted.',
        uploads.uploads,
      ),
      gauge(
        'deltaglider_incomplete_upload_bytes',
        "Bytes of unfinished uploads' parts: billed until aborted.",
        uploads.bytes,
      ),
    );
  return families;
}

/** Prometheus text exposition format of one stats result, for textfile collectors. */
export function formatStatsPrometheus(
  stats: BucketStatsResult & { readonly cost?: MonthlyCost },
): string {
  return renderExposition(statsFamilies(stats, stats.cache.ageSeconds));
}
