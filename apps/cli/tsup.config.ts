import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options } from 'tsup';
import { libraryConfig } from '../../tsup.library.js';
import { sdkBuildDefines } from '../sdk/build-defines.js';
import type { Plugin } from './build/esbuild-plugin.js';
import { thirdPartyNotices } from './build/third-party-notices.js';

// The program is bundled: our packages (from their sources), yargs and zod are inlined and
// trimmed to what is used, so a command line parses little: `--help` loads the parser alone,
// and a warm `stats` adds the stats command, never the exporter or the AWS SDK (BENCHMARKS.md,
// "Start-up"). What stays a dependency is large, loaded late, and should take its security
// fixes from the registry: the AWS SDK and prom-client (the package's `dependencies`).

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Each workspace package's directory and whether its modules may be dropped when unused. */
function workspacePackages(): Map<string, { dir: string; sideEffects: boolean }> {
  const found = new Map<string, { dir: string; sideEffects: boolean }>();
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, group))) {
      const dir = join(root, group, entry);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      found.set(manifest.name, { dir, sideEffects: manifest.sideEffects !== false });
    }
  }
  return found;
}

/**
 * `@deltaglider/x[/sub]` resolved to `src/index.ts` (or `src/sub.ts`) of its package: bundled
 * from sources, the bundler drops whatever a chunk does not use, module by module, which it
 * cannot do inside a package's single built file.
 */
const workspaceSources: Plugin = {
  name: 'workspace-sources',
  setup(build) {
    const packages = workspacePackages();
    build.onResolve({ filter: /^@deltaglider\// }, ({ path }) => {
      const [, scope, name, ...subpath] = /^(@deltaglider)\/([^/]+)(?:\/(.+))?$/.exec(path) ?? [];
      const found = packages.get(`${scope}/${name}`);
      if (!found) return undefined;
      const module = subpath[0] ?? 'index';
      return { path: join(found.dir, 'src', `${module}.ts`), sideEffects: found.sideEffects };
    });
  },
};

/**
 * In the parser's bundle, `import('./stats-run.js')` (each command's implementation) stays a
 * dynamic import of the commands' bundle, built beside it in dist/.
 */
const commandsBundle: Plugin = {
  name: 'commands-bundle',
  setup(build) {
    build.onResolve({ filter: /^\.\/[a-z-]+-run\.js$/ }, ({ path }) => ({ path, external: true }));
  },
};

const commandEntries = Object.fromEntries(
  readdirSync(new URL('src/commands', import.meta.url))
    .filter((file) => file.endsWith('-run.ts'))
    .map((file) => [file.replace(/\.ts$/, ''), `src/commands/${file}`]),
);

// Both bundles' inlined packages, with their licences, in the package (files: dist).
const notices = thirdPartyNotices(
  fileURLToPath(new URL('dist/THIRD-PARTY-NOTICES.md', import.meta.url)),
);

const shared = {
  dts: false,
  // A program, not a library: ESM with top-level await, run by node. dist/ is emptied by the
  // build script: two builds write into it.
  format: ['esm'],
  clean: false,
  splitting: true,
  // Names are kept (stack traces, error names); source maps ship beside the files.
  minifyWhitespace: true,
  minifySyntax: true,
  // What the SDK's sources expect, bundled here from source.
  define: sdkBuildDefines,
  esbuildOptions(options) {
    // yargs' help layout measures text with string-width: see src/output/display-width.ts.
    options.alias = {
      ...options.alias,
      'string-width': fileURLToPath(new URL('src/output/display-width.ts', import.meta.url)),
    };
  },
} satisfies Options;

// Two bundles, so that no chunk is shared between them: esbuild splits by file, and a file the
// parser and a command both use (a package's index, say) would load everything the command
// needs with the parser.
export default [
  // The parser: `deltaglider`, its options and `--help`; yargs and no more.
  libraryConfig({
    ...shared,
    entry: { bin: 'src/bin.ts' },
    // `--version` answers before the parser's chunk (split off, as in both) loads.
    banner: { js: '#!/usr/bin/env node' },
    esbuildPlugins: [workspaceSources, commandsBundle, notices],
  }),
  // The commands, each loaded when it runs, and the exporter's refresh worker (a worker thread's
  // entry must be a file of its own).
  libraryConfig({
    ...shared,
    entry: { ...commandEntries, 'refresh-worker': 'src/serve/refresh-worker.ts' },
    esbuildPlugins: [workspaceSources, notices],
  }),
];
