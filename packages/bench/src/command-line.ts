// How `pnpm bench` reads its options: `--name value`, lists comma-separated. A flag that is not
// given, or is given last without a value, takes its default.

/** The value after `--name` in `argv`, or `fallback`. */
export function option(name: string, fallback: string, argv = process.argv): string {
  const at = argv.indexOf(`--${name}`);
  return at === -1 ? fallback : (argv[at + 1] ?? fallback);
}

/** `--name`'s comma-separated words (or `fallback`'s), empty ones dropped. */
export function wordList(name: string, fallback: string, argv = process.argv): string[] {
  return option(name, fallback, argv).split(',').filter(Boolean);
}

/** `--name`'s comma-separated numbers (or `fallback`'s). */
export function numberList(name: string, fallback: string, argv = process.argv): number[] {
  return wordList(name, fallback, argv).map(Number);
}

/** `text`, the value of `--name`, as a count: a whole number from 1. */
export function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`--${name} must be a whole number from 1, not "${text}"`);
  return value;
}
