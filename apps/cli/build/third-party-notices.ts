import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plugin } from './esbuild-plugin.js';

/** The package directory a bundled file comes from, when it comes from an installed package. */
const PACKAGE_OF_FILE = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//;

/**
 * Writes `notices` (Markdown) with the licence of every installed package whose code ends up in
 * the output of any of the builds that share this plugin, verbatim, as their licences ask. It is
 * written again whenever a build ends, once each build has ended at least once. A bundled
 * package without a licence file fails the build.
 */
export function thirdPartyNotices(notices: string): Plugin {
  const bundledByBuild: Set<string>[] = [];
  return {
    name: 'third-party-notices',
    setup(build) {
      const bundled = new Set<string>();
      bundledByBuild.push(bundled);
      build.initialOptions.metafile = true;
      build.onEnd((result) => {
        bundled.clear();
        for (const output of Object.values(result.metafile?.outputs ?? {})) {
          for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
            const directory = PACKAGE_OF_FILE.exec(file)?.[1];
            if (directory && bytesInOutput > 0) bundled.add(directory);
          }
        }
        if (bundledByBuild.some((set) => set.size === 0)) return;
        const directories = new Set(bundledByBuild.flatMap((set) => [...set]));
        // The bundler's own files may not be written yet.
        mkdirSync(dirname(notices), { recursive: true });
        writeFileSync(notices, noticesOf([...directories].map(licenceOf)));
      });
    },
  };
}

interface Licence {
  readonly name: string;
  readonly version: string;
  readonly text: string;
}

function licenceOf(directory: string): Licence {
  const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
  const file = readdirSync(directory).find((name) => /^licen[cs]e(\.(md|txt))?$/i.test(name));
  if (!file) throw new Error(`${manifest.name} is bundled but ships no licence file`);
  return {
    name: manifest.name,
    version: manifest.version,
    text: readFileSync(join(directory, file), 'utf8').trim(),
  };
}

function noticesOf(licences: Licence[]): string {
  const sections = licences
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version))
    .map(({ name, version, text }) => `## ${name} ${version}\n\n\`\`\`text\n${text}\n\`\`\`\n`);
  return [
    '# Third-party notices\n',
    'The `deltaglider` program bundles these packages (written by its build); their licences follow.\n',
    ...sections,
  ].join('\n');
}
