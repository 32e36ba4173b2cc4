import type { BucketStats } from '../../stats/bucket-stats-schema.js';
import type { Billing } from './billing.js';
import type { StoragePrices } from './storage-prices.js';

const GIB = 2 ** 30;

/** What storing the bucket costs a month at given prices, and what it would without deltas. */
export interface MonthlyCost {
  readonly prices: string;
  readonly currency: 'USD' | 'EUR';
  /** Every billed byte (listed, older versions, upload parts) at its class's price. */
  readonly stored: number;
  /** The same, with the deltas' originals stored whole in their place. */
  readonly withoutDeltas: number;
  /** `withoutDeltas - stored`. */
  readonly saved: number;
  /** Classes listed but not priced: charged at STANDARD's price. */
  readonly unpricedClasses: readonly string[];
  /** Per deltaspace, when the stats have them: its stored bytes and its originals. */
  readonly deltaspaces?: readonly {
    readonly deltaspace: string;
    readonly stored: number;
    readonly withoutDeltas: number;
  }[];
}

/**
 * A monthly estimate: listed bytes at their storage classes' prices; older versions and
 * upload parts (whose classes are not totalled) at STANDARD's. Without deltas, the bytes
 * deltas save would be stored too, at the average price of what is stored now. Monthly list
 * prices only: no requests, transfer, minimum durations or tiers (docs/cost.md).
 */
export function estimateMonthlyCost(
  stats: BucketStats & { readonly billing: Billing },
  prices: StoragePrices,
): MonthlyCost {
  const standard = prices.perGibMonth.STANDARD!;
  const unpriced: string[] = [];
  let listedCost = 0;
  for (const total of stats.storageClasses) {
    const price = prices.perGibMonth[total.storageClass];
    if (price === undefined) unpriced.push(total.storageClass);
    listedCost += (total.bytes / GIB) * (price ?? standard);
  }
  const { billing } = stats;
  const unlisted = billing.billedBytes - billing.listedBytes;
  const stored = listedCost + (unlisted / GIB) * standard;
  // The price per byte of what is stored now, which the originals would be stored at.
  const perByte = billing.listedBytes === 0 ? standard / GIB : listedCost / billing.listedBytes;
  const withoutDeltas = stored + stats.spaceSaved * perByte;
  return {
    prices: prices.name,
    currency: prices.currency,
    stored: cents(stored),
    withoutDeltas: cents(withoutDeltas),
    saved: cents(withoutDeltas - stored),
    unpricedClasses: unpriced,
    ...(stats.deltaspaces
      ? {
          deltaspaces: stats.deltaspaces.map((space) => ({
            deltaspace: space.deltaspace,
            stored: cents(space.storedSize * perByte),
            withoutDeltas: cents(Math.max(space.originalSize, space.storedSize) * perByte),
          })),
        }
      : {}),
  };
}

/** Rounded to a hundredth of a cent: estimates, not invoices. */
const cents = (amount: number) => Math.round(amount * 10_000) / 10_000;
