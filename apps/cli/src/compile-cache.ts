import nodeModule from 'node:module';

/** Node 22.1 and newer can keep V8's compiled code between runs; Node 20 has no such call. */
export interface CompileCacheHost {
  readonly enableCompileCache?: (directory?: string) => unknown;
}

/**
 * Keeps the program's compiled code between runs where Node can (22.1 and newer): each command
 * line is a fresh process that compiles the same bundles again, and on Node 22.23 a one-file
 * `cp` of a 1 MB delta took 112-113 ms with the cache against 124-129 without (BENCHMARKS.md,
 * `pnpm bench --suite startup`). The cache is Node's own: `$NODE_COMPILE_CACHE`, else
 * `node-compile-cache` in the temp directory, shared with other programs that use it (tsc
 * does); `NODE_DISABLE_COMPILE_CACHE=1` turns it off. Node reports a cache it cannot write as a
 * status, not an error, so a read-only temp directory only costs the speed.
 */
export function keepCompiledCode(
  // Node 20's types, which the program builds with, do not know the call.
  host: CompileCacheHost = nodeModule as CompileCacheHost,
): void {
  host.enableCompileCache?.();
}
