/**
 * How well a deltaspace compresses, graded as deltaglider_proxy grades it: the median delta's
 * size against the reference's. A user sees at a glance which directories are not worth
 * delta-compressing (`poor`) and which cannot be rebuilt at all (`no_reference`).
 */
export const deltaspaceHealthGrades = [
  'excellent',
  'good',
  'fair',
  'poor',
  'no_reference',
] as const;
export type DeltaspaceHealth = (typeof deltaspaceHealthGrades)[number];

/** `excellent` also needs a median delta no larger than this (200 KB, decimal). */
export const EXCELLENT_MEDIAN_DELTA_BYTES = 200_000;

/** The grade of a deltaspace with deltas; `referenceSize` undefined means it has no reference. */
export function gradeDeltaspace(
  medianDeltaSize: number,
  referenceSize: number | undefined,
): DeltaspaceHealth {
  if (referenceSize === undefined) return 'no_reference';
  const ratio = referenceSize === 0 ? Number.POSITIVE_INFINITY : medianDeltaSize / referenceSize;
  if (ratio <= 0.05 && medianDeltaSize <= EXCELLENT_MEDIAN_DELTA_BYTES) return 'excellent';
  if (ratio < 0.2) return 'good';
  if (ratio < 0.5) return 'fair';
  return 'poor';
}
