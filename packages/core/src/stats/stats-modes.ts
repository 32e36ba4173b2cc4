/** How exact a stats call is: the listing alone, a sample of HEADs, or a HEAD per delta. */
export const statsModes = ['quick', 'sampled', 'detailed'] as const;
export type StatsMode = (typeof statsModes)[number];
