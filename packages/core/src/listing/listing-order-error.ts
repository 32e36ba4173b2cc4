/**
 * A listing broke S3's ordering promise: a page ran backwards, or a range listed from
 * `StartAfter` returned keys at or before its start. Servers without `StartAfter` (S3 Express
 * One Zone directory buckets) or that ignore it do this; ranged listing would count keys twice,
 * so the caller pages sequentially instead.
 */
export class ListingOrderError extends Error {
  override readonly name = 'ListingOrderError';
}
