import type { ObjectStore } from '../ports/object-store.js';
import { compareKeys } from '../store-support/compare-keys.js';

/** Characters per level that tiling considers at most (the ones a directory's names use). */
const MAX_ALPHABET = 64;

export interface TileOptions {
  readonly signal?: AbortSignal | undefined;
  readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  /** About how many cut points to aim for. */
  readonly cuts: number;
}

/**
 * Cut points inside one large flat directory (one whose first page of entries, `firstPage`,
 * holds files only and is not the last), where the `/` tree offers none. Its names are read as
 * numbers: the first page shows which characters they use and where they start to differ;
 * one-key probes (`StartAfter`, `maxKeys` 1) at keys bumped further and further left find how
 * far the directory reaches, and which leading characters it uses there. The cut points are
 * those leading characters (and the next level's, when they are too few).
 */
export async function tileFlatDirectory(
  store: ObjectStore,
  bucket: string,
  directory: string,
  firstPage: readonly string[],
  options: TileOptions,
): Promise<string[]> {
  const first = firstPage[0];
  const last = firstPage.at(-1);
  if (first === undefined || last === undefined || first === last) return [];
  const exists = async (after: string) => {
    const page = await options.limit(() =>
      store.list(bucket, {
        prefix: directory,
        startAfter: after,
        maxKeys: 1,
        signal: options.signal,
      }),
    );
    return page.objects.length > 0;
  };
  // Names with characters beyond the BMP are left whole: a probe key must not split one.
  if (/[\uD800-\uDFFF]/.test(first + last)) return [];
  let differ = 0;
  while (first[differ] === last[differ]) differ++;
  // The characters names use where the first page's start to differ (digits, say).
  const alphabet = alphabetAt(firstPage, differ);
  // The leftmost position where bumping `last`'s character still finds keys: the directory's
  // names vary that far left. Further left finds none once one position does not (a bumped
  // key there is larger still), so the probes stop at the first miss.
  let varying = differ;
  for (let index = differ - 1; index >= directory.length; index--) {
    const next = nextCharacter(last[index] as string);
    if (next === undefined || !(await exists(last.slice(0, index) + next))) break;
    varying = index;
  }
  // Which characters lead at that position: up to the last one a key still sorts after
  // (found by bisection, the answers being true up to it and false after).
  const stem = last.slice(0, varying);
  const candidates = alphabet.filter((c) => compareKeys(c, last[varying] as string) > 0);
  let low = 0;
  let high = candidates.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (await exists(stem + candidates[middle])) low = middle + 1;
    else high = middle;
  }
  const used = [last[varying] as string, ...candidates.slice(0, low)];
  let cuts = used.map((c) => stem + c);
  if (cuts.length < options.cuts) cuts = cuts.flatMap((cut) => alphabet.map((c) => cut + c));
  return cuts.filter((cut) => compareKeys(cut, last) > 0);
}

/** The characters the names have at one position, in key order. */
function alphabetAt(keys: readonly string[], position: number): string[] {
  const seen = new Set<string>();
  for (const key of keys) {
    const character = key[position];
    if (character !== undefined) seen.add(character);
  }
  return [...seen].sort(compareKeys).slice(0, MAX_ALPHABET);
}

function nextCharacter(character: string): string | undefined {
  const codePoint = character.codePointAt(0) as number;
  return codePoint >= 0x10ffff ? undefined : String.fromCodePoint(codePoint + 1);
}
