/** `auto`: keep listing facts in buckets that already hold some (the proxy's). */
export type ListingFactsSetting = 'auto' | 'on' | 'off';
export const listingFactsSettings = ['auto', 'on', 'off'] as const;
