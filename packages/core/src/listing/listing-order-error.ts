import { DeltaGliderError } from '../errors/deltaglider-error.js';

/**
 * A listing broke S3's ordering promise: a page ran backwards, or a range listed from
 * `StartAfter` returned keys at or before its start. Servers without `StartAfter` (S3 Express
 * One Zone directory buckets) or that ignore it do this; ranged listing would count keys twice,
 * so the caller pages sequentially instead.
 */
export class ListingOrderError extends DeltaGliderError {
  constructor(message: string) {
    super('LISTING_ORDER', message);
    this.name = 'ListingOrderError';
  }

  static override isInstance(error: unknown): error is ListingOrderError {
    return DeltaGliderError.isInstance(error) && error.code === 'LISTING_ORDER';
  }
}
