import { UsageError } from '../usage-error.js';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `30m`, `12h`, `7d`, `2w` (or `0`) as milliseconds; anything else is a usage error. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
  if (text.trim() === '0') return 0;
  if (!match)
    throw new UsageError(
      `--${flag} takes a duration such as 30m, 12h, 7d or 2w, not ${JSON.stringify(text)}`,
    );
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
