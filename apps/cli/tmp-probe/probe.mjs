import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '/work/main/node_modules/.pnpm/esbuild@0.27.7/node_modules/esbuild/lib/main.js';

const root = '/work/main';
const packages = new Map();
for (const group of ['packages', 'apps'])
  for (const e of readdirSync(join(root, group))) {
    const dir = join(root, group, e);
    const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    packages.set(m.name, { dir, sideEffects: m.sideEffects !== false });
  }
const plugin = {
  name: 'ws',
  setup(b) {
    b.onResolve({ filter: /^@deltaglider\// }, ({ path }) => {
      const [, name, sub] = /^(@deltaglider\/[^/]+)(?:\/(.+))?$/.exec(path);
      const f = packages.get(name);
      return { path: join(f.dir, 'src', `${sub ?? 'index'}.ts`), sideEffects: f.sideEffects };
    });
  },
};
const r = await build({
  stdin: { contents: process.argv[2], resolveDir: '/work/main/apps/cli/src', loader: 'ts' },
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  plugins: [
    plugin,
    {
      name: 'lazy',
      setup(b) {
        b.onResolve({ filter: /-run\.js$/ }, (a) => ({ path: a.path, external: true }));
      },
    },
  ],
  metafile: true,
  define: { __DELTAGLIDER_SDK_VERSION__: '"x"' },
  external: ['@aws-sdk/*', '@smithy/*', 'prom-client'],
});
const out = Object.values(r.metafile.outputs)[0];
console.log(
  r.outputFiles[0].text.length,
  'bytes;',
  Object.keys(out.inputs)
    .filter((i) => out.inputs[i].bytesInOutput > 0)
    .map((i) => i.replace(/.*\/(packages|apps|node_modules)\//, ''))
    .join(' '),
);
