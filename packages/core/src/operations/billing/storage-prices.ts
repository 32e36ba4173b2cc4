import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';

/** Prices of storage, per GiB-month, by storage class: what a cost estimate multiplies by. */
export interface StoragePrices {
  /** Where they come from: a preset's name, or `--price`. */
  readonly name: string;
  readonly currency: 'USD' | 'EUR';
  /** Per GiB-month by storage class; STANDARD always, as the price of anything unnamed. */
  readonly perGibMonth: Readonly<Record<string, number>>;
  /** When the preset's prices were read from `source` (docs/cost.md). */
  readonly asOf?: string;
  readonly source?: string;
}

/**
 * Published list prices (first tier, no discounts), as docs/cost.md records them with their
 * sources and dates. Prices change: `--price` overrides any of them.
 */
export const pricePresets = {
  'aws-us-east-1': {
    name: 'aws-us-east-1',
    currency: 'USD',
    perGibMonth: {
      STANDARD: 0.023,
      INTELLIGENT_TIERING: 0.023,
      STANDARD_IA: 0.0125,
      ONEZONE_IA: 0.01,
      GLACIER_IR: 0.004,
      GLACIER: 0.0036,
      DEEP_ARCHIVE: 0.00099,
      REDUCED_REDUNDANCY: 0.024,
    },
    asOf: '2026-12-04',
    source: 'https://aws.amazon.com/s3/pricing/',
  },
  r2: {
    name: 'r2',
    currency: 'USD',
    perGibMonth: { STANDARD: 0.015, STANDARD_IA: 0.01 },
    asOf: '2026-12-04',
    source: 'https://developers.cloudflare.com/r2/pricing/',
  },
  b2: {
    name: 'b2',
    currency: 'USD',
    perGibMonth: { STANDARD: 0.006 },
    asOf: '2026-12-04',
    source: 'https://www.backblaze.com/cloud-storage/pricing',
  },
  wasabi: {
    name: 'wasabi',
    currency: 'USD',
    perGibMonth: { STANDARD: 0.00699 },
    asOf: '2026-12-04',
    source: 'https://wasabi.com/pricing',
  },
  hetzner: {
    name: 'hetzner',
    currency: 'EUR',
    perGibMonth: { STANDARD: 0.00499 },
    asOf: '2026-12-04',
    source: 'https://www.hetzner.com/storage/object-storage/',
  },
} as const satisfies Record<string, StoragePrices>;

export type PricePreset = keyof typeof pricePresets;
export const pricePresetNames = Object.keys(pricePresets) as PricePreset[];

/**
 * `STANDARD=0.023,STANDARD_IA=0.0125` ($ per GiB-month) as prices, over a preset's when one
 * is given. STANDARD must be priced (it prices any class left unnamed).
 */
export function storagePricesOf(given: string | undefined, preset?: PricePreset): StoragePrices {
  const base: StoragePrices | undefined = preset ? pricePresets[preset] : undefined;
  const perGibMonth: Record<string, number> = { ...base?.perGibMonth };
  for (const pair of given ? given.split(',') : []) {
    const match = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(pair);
    if (!match)
      throw new InvalidArgumentError(
        `price ${JSON.stringify(pair)} is not CLASS=DOLLARS_PER_GIB_MONTH (STANDARD=0.023)`,
      );
    perGibMonth[match[1]!] = Number(match[2]);
  }
  if (perGibMonth.STANDARD === undefined)
    throw new InvalidArgumentError(
      'prices need STANDARD=..., the price of every storage class not named',
    );
  if (!base) return { name: 'custom', currency: 'USD', perGibMonth };
  return { ...base, name: given ? `${base.name} (changed)` : base.name, perGibMonth };
}
