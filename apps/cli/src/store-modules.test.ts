import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';

// A third-party store adapter reached from --endpoint-url: the module $DG_STORE_MODULES names
// exports `stores: { az: factory }`; here the factory keeps an "account" as a local directory
// (through the fs adapter), so each CLI process sees what the previous one wrote.

const fsAdapter = new URL('../../../packages/fs-adapter/dist/index.js', import.meta.url).href;
let work: string;
let env: Record<string, string>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dg-store-module-'));
  const plugin = join(work, 'az-store.mjs');
  await writeFile(
    plugin,
    [
      `import { createFsObjectStore } from ${JSON.stringify(fsAdapter)};`,
      'export const stores = {',
      '  az: (request) =>',
      `    createFsObjectStore({ root: ${JSON.stringify(work)} + '/accounts/' + new URL(request.endpoint).host }),`,
      '};',
      '',
    ].join('\n'),
  );
  await mkdir(join(work, 'accounts', 'acme', 'releases'), { recursive: true });
  env = { DG_STORE_MODULES: plugin, DG_CACHE_DIR: join(work, 'cache') };
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('DG_STORE_MODULES', () => {
  it('lets --endpoint-url az://… reach a registered adapter for cp, ls and stats', async () => {
    const az = ['--endpoint-url', 'az://acme'];
    for (const version of ['1.0.0', '1.0.1']) {
      const file = join(work, `app-${version}.zip`);
      await writeFile(file, `release ${version}\n`.repeat(3000));
      const copied = await runDeltaglider([...az, 'cp', file, 's3://releases/app/'], env);
      expect(copied.stderr).toBe('');
      expect(copied.code).toBe(0);
    }
    const listed = await runDeltaglider([...az, 'ls', 's3://releases/app/'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('app-1.0.1.zip');
    const stats = await runDeltaglider(
      [...az, 'stats', 'releases', '--mode', 'detailed', '--json'],
      env,
    );
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({
      delta_objects: 2,
      total_size_estimated: false,
    });
  });

  it('exits 2 naming the schemes when none serves the endpoint, or the module when it cannot load', async () => {
    const unknown = await runDeltaglider(['--endpoint-url', 'gs://x', 'stats', 'releases'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^deltaglider: usage error: invalid endpoint "gs:\/\/x": use one of az:\/\/, file:\/\//,
    );
    const missing = await runDeltaglider(['stats', 'releases'], {
      DG_STORE_MODULES: '@acme/no-such-adapter',
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^deltaglider: usage error: DG_STORE_MODULES: cannot load @acme\/no-such-adapter: /,
    );
    expect(missing.stderr.split('\n')).toHaveLength(2);
  });
});
