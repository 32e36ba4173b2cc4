import { compareKeys } from '../store-support/compare-keys.js';

// Keys are placed in a number space of printable ASCII digits (base 95), which is where almost
// every real key lives; anything else is clamped for the arithmetic and the answer is checked
// against S3's order, so a clamped guess can only mean "no split here", never a wrong range.
const LOWEST = 0x20;
const HIGHEST = 0x7e;
const BASE = HIGHEST - LOWEST + 1;
/** 95^8 stays below 2^53: exact in a double. */
const MAX_DIGITS = 8;

/** The highest key a listing under `prefix` is assumed to reach, for splitting an open end. */
export function assumedEndOf(prefix: string): string {
  return prefix + String.fromCharCode(HIGHEST).repeat(MAX_DIGITS);
}

/** A character as a base-95 digit, clamped to printable ASCII; 0 past the key's end. */
function digitOf(chars: readonly string[], index: number): number {
  const codePoint = chars[index]?.codePointAt(0);
  if (codePoint === undefined) return 0;
  return Math.min(Math.max(codePoint, LOWEST), HIGHEST) - LOWEST;
}

/** How many characters two keys share at their start. */
function commonLength(a: readonly string[], b: readonly string[]): number {
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return common;
}

/** A key's characters after `skip` of them, as base-95 digits: a number in [0, 1). */
function fractionOf(chars: readonly string[], skip: number): number {
  let value = 0;
  let scale = 1;
  for (let index = skip; index < skip + MAX_DIGITS; index++) {
    scale /= BASE;
    value += digitOf(chars, index) * scale;
  }
  return value;
}

/**
 * Where `key` sits between `low` and `high`, from 0 to 1, reading keys as numbers after their
 * common prefix: how far a listing from `low` to `high` has come when it is at `key`, were keys
 * spread evenly. An estimate, for choosing which range to split.
 */
export function positionBetween(low: string, key: string, high: string): number {
  const a = Array.from(low);
  const b = Array.from(high);
  const common = commonLength(a, b);
  const start = fractionOf(a, common);
  const span = fractionOf(b, common) - start;
  if (span <= 0) return 1;
  const at = (fractionOf(Array.from(key), common) - start) / span;
  return Math.min(Math.max(at, 0), 1);
}

/**
 * A key halfway between `low` and `high` in key order (strictly after `low`, strictly before
 * `high`), as far as printable-ASCII arithmetic over the characters after their common prefix
 * can tell; undefined when there is no room (adjacent keys) or the guess fails the check.
 */
export function keyBetween(low: string, high: string): string | undefined {
  const a = Array.from(low);
  const b = Array.from(high);
  const common = commonLength(a, b);
  for (let width = 1; width <= MAX_DIGITS; width++) {
    let lowValue = 0;
    let highValue = 0;
    for (let index = common; index < common + width; index++) {
      lowValue = lowValue * BASE + digitOf(a, index);
      highValue = highValue * BASE + digitOf(b, index);
    }
    if (highValue - lowValue < 2) continue;
    const middle = Math.floor((lowValue + highValue) / 2);
    const digits: string[] = [];
    for (let value = middle, left = width; left > 0; left--, value = Math.floor(value / BASE))
      digits.unshift(String.fromCharCode(LOWEST + (value % BASE)));
    const key = a.slice(0, common).join('') + digits.join('');
    return compareKeys(low, key) < 0 && compareKeys(key, high) < 0 ? key : undefined;
  }
  return undefined;
}
