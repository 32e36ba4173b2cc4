import { UsageError } from '../usage-error.js';

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `30s`, `15m`, `12h`, `1d` or a bare number of seconds, as milliseconds. Anything else is a
 * usage error naming the flag.
 */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (!match)
    throw new UsageError(`${flag} must be a duration like 30s, 15m, 12h or 1d, not "${text}"`);
  return Math.round(Number(match[1]) * units[match[2] || 's']!);
}
