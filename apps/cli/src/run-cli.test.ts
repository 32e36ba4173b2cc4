import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsObjectStore } from '@deltaglider/fs-adapter';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { runCli } from './run-cli.js';

// In-process runs, for what a child process cannot show: a terminal on stderr.

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dg-run-cli-'));
  const store = createFsObjectStore({ root });
  await store.createBucket('local');
  await loadFixtureBucket(store, 'local');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function fakeIo(stderrIsTerminal: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text), isTTY: stderrIsTerminal },
    env: { DG_ENDPOINT_URL: `file://${root}` },
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

describe('progress', () => {
  it('paints listing and HEAD progress on a terminal, then clears the line', async () => {
    const run = fakeIo(true);
    expect(await runCli(['stats', 'local', '--detailed', '--refresh'], run.io)).toBe(0);
    expect(run.stderr()).toContain('\r\x1b[2Klisted 16 objects (1 pages)');
    expect(run.stderr().endsWith('\r\x1b[2K')).toBe(true);
    expect(run.stdout()).toContain('(detailed stats)');
  });

  it('stays silent when stderr is not a terminal, or with --json', async () => {
    const piped = fakeIo(false);
    await runCli(['stats', 'local', '--refresh'], piped.io);
    expect(piped.stderr()).toBe('');
    const json = fakeIo(true);
    await runCli(['stats', 'local', '--json', '--refresh'], json.io);
    expect(json.stderr()).toBe('');
    expect(JSON.parse(json.stdout()).object_count).toBe(13);
  });
});
