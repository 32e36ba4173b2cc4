import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';

/** Writes a suite's results to `bench-results/<suite>-<time>.json` and says where. */
export async function writeBenchResults(suite: string, results: unknown): Promise<void> {
  await mkdir('bench-results', { recursive: true });
  const file = `bench-results/${suite}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

/** `2 cores (AMD EPYC ...), 24 GiB, Node v20.20.2`: what a suite's numbers were measured on. */
export function describeMachine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
