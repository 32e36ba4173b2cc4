import type { Options } from 'tsup';

/** An esbuild plugin as tsup takes it (esbuild itself is tsup's dependency, not ours). */
export type Plugin = NonNullable<Options['esbuildPlugins']>[number];
