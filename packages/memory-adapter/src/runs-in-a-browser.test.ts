import { builtinModules } from 'node:module';
import { getBucketStats } from '@deltaglider/core';
import { loadFixtureBucket, readFixtureIndex, readFixtureObject } from '@deltaglider/test-fixtures';
import { type Browser, launchHeadlessChromium } from '@deltaglider/test-s3-server';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryObjectStore } from './memory-object-store.js';
import type { BrowserObject, statsAndDecode } from './test-support/browser-entry.js';

// What a user computing stats in a browser, a Cloudflare Worker or Deno needs: core, this adapter
// and the VCDIFF codec bundle for the browser with no Node built-in (the build fails on any), and
// getBucketStats plus a decode of a Python DeltaGlider delta run in headless Chromium.

const FIXTURE = 'python-6.1.2-bucket-a';
const builtins = new Set(builtinModules);

/** Fails the build on any import of a Node built-in, naming the module that asked for it. */
const refuseNodeBuiltins: Plugin = {
  name: 'refuse-node-builtins',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) =>
      args.path.startsWith('node:') || builtins.has(args.path.split('/')[0] ?? '')
        ? { errors: [{ text: `Node built-in ${args.path} imported by ${args.importer}` }] }
        : undefined,
    );
  },
};

const bundle = (entryPoint: { contents: string; resolveDir: string } | string) =>
  build({
    ...(typeof entryPoint === 'string' ? { entryPoints: [entryPoint] } : { stdin: entryPoint }),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'deltaglider',
    write: false,
    logLevel: 'silent',
    plugins: [refuseNodeBuiltins],
  });

let browser: Browser;
beforeAll(async () => {
  browser = await launchHeadlessChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('core, the memory adapter and the VCDIFF codec in a browser', () => {
  it('refuse to bundle when anything imports a Node built-in (the check can fail)', async () => {
    const resolveDir = new URL('.', import.meta.url).pathname;
    for (const contents of ["import 'node:fs';", "import { join } from 'path'; join();"])
      await expect(bundle({ contents, resolveDir })).rejects.toThrow(/Node built-in/);
  });

  it('compute detailed stats and rebuild a Python delta in headless Chromium', async () => {
    const built = await bundle(
      new URL('./test-support/browser-entry.ts', import.meta.url).pathname,
    );
    const script = built.outputFiles[0]?.text ?? '';

    const index = await readFixtureIndex(FIXTURE);
    const objects: BrowserObject[] = await Promise.all(
      index.map(async (object) => ({
        key: object.key,
        base64: Buffer.from(await readFixtureObject(FIXTURE, object.key)).toString('base64'),
        contentType: object.content_type,
        metadata: object.metadata,
      })),
    );
    const delta = index.find((object) => object.key === 'releases/app/app-1.0.1.zip.delta');
    expect(delta).toBeDefined();

    const page = await browser.newPage();
    try {
      await page.setContent('<!doctype html><title>deltaglider</title>');
      await page.addScriptTag({ content: script });
      type InBrowser = Awaited<ReturnType<typeof statsAndDecode>>;
      const result: InBrowser = await page.evaluate(
        ([loaded, target]) =>
          (
            globalThis as unknown as { deltaglider: { statsAndDecode: typeof statsAndDecode } }
          ).deltaglider.statsAndDecode(loaded, target),
        [
          objects,
          { key: 'releases/app/app-1.0.1.zip.delta', reference: 'releases/app/reference.bin' },
        ] as const,
      );
      expect(result.userAgent).toContain('HeadlessChrome');
      expect(result.original).toEqual({
        size: Number(delta?.metadata['dg-file-size']),
        sha256: delta?.metadata['dg-file-sha256'],
      });

      // The same call in Node on the same bucket: the browser's numbers are the same.
      const store = createMemoryObjectStore({ buckets: ['fixture'] });
      await loadFixtureBucket(store, 'fixture', FIXTURE);
      const inNode = await getBucketStats({ store }, 'fixture', { mode: 'detailed' });
      const { cache: browserCache, ...browserStats } = result.stats;
      const { cache: nodeCache, ...nodeStats } = inNode;
      expect(browserStats).toEqual(nodeStats);
      expect(browserStats.deltaObjects).toBeGreaterThan(0);
      expect(browserCache).toMatchObject({ status: 'miss', written: true, key: nodeCache.key });
    } finally {
      await page.close();
    }
  });
});
