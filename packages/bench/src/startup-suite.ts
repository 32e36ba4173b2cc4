import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// pnpm bench --suite startup
// How long a user waits for `deltaglider --help`, `--version`, a warm `stats` on a file://
// store (the cache answers: one LIST, one GET) and a one-file `cp` download of a 1 MB delta,
// against `node -e 0`, with hyperfine (apt-get install hyperfine) when it is installed, else
// 10 timed runs each. Run it with another `node` first on PATH to compare Node versions.

const cliBin = fileURLToPath(new URL('../../../apps/cli/dist/bin.js', import.meta.url));

export interface StartupResult {
  readonly tool: 'hyperfine' | 'node';
  /** Mean seconds per command, by label. */
  readonly meanSeconds: Readonly<Record<string, number>>;
}

export async function runStartupSuite(): Promise<StartupResult> {
  const store = await mkdtemp(join(tmpdir(), 'dg-bench-startup-'));
  const files = await mkdtemp(join(tmpdir(), 'dg-bench-startup-files-'));
  try {
    const node = process.execPath;
    const cli = (...args: string[]) => [cliBin, '--endpoint-url', `file://${store}`, ...args];
    const dg = (...args: string[]) => [node, ...cli(...args)];
    const setUp = (...args: string[]) => execFileSync(node, cli(...args), { stdio: 'ignore' });
    setUp('ls');
    await mkdir(join(store, 'warm'));
    // The first call computes and writes the cache; the timed ones answer from it.
    setUp('--adopt-directory', 'stats', 'warm');
    // A one-file download of a delta: a 1 MB release rebuilt from its reference.
    await mkdir(join(store, 'rel'));
    for (const version of [1, 2]) {
      const file = join(files, `v${version}.tar`);
      await writeFile(file, releaseBytes(version));
      setUp('cp', file, 's3://rel/app/');
    }
    const commands: Record<string, string[]> = {
      'node -e 0': [node, '-e', '0'],
      'deltaglider --version': [node, cliBin, '--version'],
      'deltaglider --help': [node, cliBin, '--help'],
      'deltaglider stats (warm, file://)': dg('--adopt-directory', 'stats', 'warm'),
      'deltaglider cp (1 MB delta download, file://)': dg(
        'cp',
        's3://rel/app/v2.tar',
        join(files, 'downloaded.tar'),
      ),
    };
    return hasHyperfine() ? withHyperfine(commands, store) : withNode(commands);
  } finally {
    await rm(store, { recursive: true, force: true });
    await rm(files, { recursive: true, force: true });
  }
}

/** 1 MiB of pseudo-random bytes, with 1 KiB in the middle that differs by `version`. */
function releaseBytes(version: number): Uint8Array {
  const bytes = new Uint8Array(1024 * 1024);
  let state = 12_345;
  for (let index = 0; index < bytes.length; index++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    bytes[index] = state >>> 24;
  }
  bytes.fill(version, 512 * 1024, 513 * 1024);
  return bytes;
}

function hasHyperfine(): boolean {
  return spawnSync('hyperfine', ['--version'], { stdio: 'ignore' }).status === 0;
}

function withHyperfine(commands: Record<string, string[]>, scratch: string): StartupResult {
  const exported = join(scratch, 'hyperfine.json');
  const quoted = (argv: string[]) =>
    argv.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  const args = ['--warmup', '3', '--runs', '20', '--export-json', exported, '--style', 'basic'];
  for (const [label, argv] of Object.entries(commands)) args.push('-n', label, quoted(argv));
  execFileSync('hyperfine', args, { stdio: 'inherit' });
  const { results } = JSON.parse(readFileSync(exported, 'utf8')) as {
    results: { command: string; mean: number }[];
  };
  return {
    tool: 'hyperfine',
    meanSeconds: Object.fromEntries(results.map(({ command, mean }) => [command, mean])),
  };
}

function withNode(commands: Record<string, string[]>): StartupResult {
  const meanSeconds: Record<string, number> = {};
  for (const [label, [program, ...args]] of Object.entries(commands)) {
    const times: number[] = [];
    for (let run = 0; run < 13; run++) {
      const started = performance.now();
      spawnSync(program as string, args, { stdio: 'ignore' });
      if (run >= 3) times.push((performance.now() - started) / 1000);
    }
    meanSeconds[label] = times.reduce((sum, time) => sum + time, 0) / times.length;
    console.log(`${label}: ${meanSeconds[label]?.toFixed(3)} s (mean of ${times.length})`);
  }
  return { tool: 'node', meanSeconds };
}
