import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// pnpm bench --suite startup
// How long a user waits for `deltaglider --help`, `--version` and a warm `stats` on a file://
// store (the cache answers: one LIST, one GET), against `node -e 0`, with hyperfine (apt-get
// install hyperfine) when it is installed, else 10 timed runs each.

const cliBin = fileURLToPath(new URL('../../../apps/cli/dist/bin.js', import.meta.url));

export interface StartupResult {
  readonly tool: 'hyperfine' | 'node';
  /** Mean seconds per command, by label. */
  readonly meanSeconds: Readonly<Record<string, number>>;
}

export async function runStartupSuite(): Promise<StartupResult> {
  const store = await mkdtemp(join(tmpdir(), 'dg-bench-startup-'));
  try {
    const node = process.execPath;
    const dg = (...args: string[]) => [node, cliBin, '--endpoint-url', `file://${store}`, ...args];
    execFileSync(node, [cliBin, '--endpoint-url', `file://${store}`, 'ls'], { stdio: 'ignore' });
    await mkdir(join(store, 'warm'));
    // The first call computes and writes the cache; the timed ones answer from it.
    execFileSync(
      node,
      [cliBin, '--endpoint-url', `file://${store}`, '--adopt-directory', 'stats', 'warm'],
      {
        stdio: 'ignore',
      },
    );
    const commands: Record<string, string[]> = {
      'node -e 0': [node, '-e', '0'],
      'deltaglider --version': [node, cliBin, '--version'],
      'deltaglider --help': [node, cliBin, '--help'],
      'deltaglider stats (warm, file://)': dg('--adopt-directory', 'stats', 'warm'),
    };
    return hasHyperfine() ? withHyperfine(commands, store) : withNode(commands);
  } finally {
    await rm(store, { recursive: true, force: true });
  }
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
