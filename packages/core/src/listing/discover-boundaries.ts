import type { ObjectStore } from '../ports/object-store.js';
import { compareKeys } from '../store-support/compare-keys.js';
import { tileFlatDirectory } from './tile-flat-directory.js';

export interface DiscoverBoundariesOptions {
  readonly prefix?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Runs each LIST within the listing's own limit on requests in flight. */
  readonly limit: <T>(task: () => Promise<T>) => Promise<T>;
  /** About how many ranges to cut the listing into. */
  readonly ranges: number;
}

/** Directory levels below the prefix that are looked at: two delimiter listings deep at most. */
const MAX_DEPTH = 2;

export interface DiscoveredBoundaries {
  readonly boundaries: string[];
  /**
   * The last directory found at the deepest level looked at: a listing's keys most likely end
   * in it, which is where splitting the open-ended last range aims (not the end of the key space).
   */
  readonly lastDirectory: string | undefined;
}

/**
 * Cut points for a listing no earlier listing has cut, from the `/` tree: a delimiter listing
 * of the prefix, and of each directory in it when there are fewer than `ranges` of them (one
 * page each). The directories found at the deepest level looked at are spread into about
 * `ranges` ranges, each boundary a directory's own prefix (a range `(a/, b/]` holds the
 * directory `a/` and whatever sorts between); a flat directory larger than its first page is
 * cut inside by `tileFlatDirectory`. Costs 1 + (directories at the first level) requests and a
 * few one-key probes per large flat directory; sizes are unknown, so ranges that turn out
 * large are split as they are listed.
 */
export async function discoverBoundaries(
  store: ObjectStore,
  bucket: string,
  options: DiscoverBoundariesOptions,
): Promise<DiscoveredBoundaries> {
  const { limit } = options;
  const flatAndLarge: { directory: string; names: string[] }[] = [];
  const directoriesIn = async (prefix: string): Promise<readonly string[]> => {
    const page = await limit(() =>
      store.list(bucket, { prefix, delimiter: '/', signal: options.signal }),
    );
    if (page.commonPrefixes.length === 0 && page.nextCursor !== undefined)
      flatAndLarge.push({ directory: prefix, names: page.objects.map((object) => object.key) });
    return page.commonPrefixes;
  };
  let level = [...(await directoriesIn(options.prefix ?? ''))];
  for (let depth = 1; depth < MAX_DEPTH && level.length < options.ranges; depth++) {
    // A directory without subdirectories stays one unit (a flat directory, a deltaspace).
    const expanded = await Promise.all(
      level.map(async (directory) => {
        const children = await directoriesIn(directory);
        return children.length > 0 ? children : [directory];
      }),
    );
    level = expanded.flat();
  }
  level.sort(compareKeys);
  const step = Math.max(1, level.length / options.ranges);
  const boundaries: string[] = [];
  for (let index = step; index < level.length; index += step)
    boundaries.push(level[Math.floor(index)] as string);
  // Flat directories too large for one page get cut inside (the `/` tree has nothing there).
  const tiles = await Promise.all(
    flatAndLarge.map(({ directory, names }) =>
      tileFlatDirectory(store, bucket, directory, names, {
        signal: options.signal,
        limit,
        cuts: options.ranges,
      }),
    ),
  );
  return {
    boundaries: [...new Set([...boundaries, ...tiles.flat()])].sort(compareKeys),
    lastDirectory: level.at(-1),
  };
}
