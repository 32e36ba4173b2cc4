import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CorpusShape } from './delta-corpus.js';
import type { ServerChild } from './server-child.js';

// pnpm bench --suite exporter
// `deltaglider serve` watching a 100,000-object bucket on the test server in detailed mode: its
// first refresh computes from scratch (one LIST pass, one HEAD per delta) while this process
// scrapes /metrics every 20 ms. A scrape must never wait for the refresh: the latencies
// measured while the refresh runs are the suite's result.

const cliBin = fileURLToPath(new URL('../../../apps/cli/dist/bin.js', import.meta.url));
const SHAPE: CorpusShape = { deltaspaces: 1000, versions: 99 };

export interface ExporterResult {
  readonly objects: number;
  readonly refreshSeconds: number;
  readonly scrapesDuringRefresh: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly pageP99Ms: number;
  readonly slowScrapes?: readonly string[];
}

export async function runExporterSuite(server: ServerChild): Promise<ExporterResult> {
  const bucket = 'bench-exporter';
  await server.send({ type: 'seed', bucket, shape: SHAPE });
  const child = spawn(
    process.execPath,
    [
      cliBin,
      'serve',
      '--listen',
      '127.0.0.1:0',
      '--endpoint-url',
      server.endpoint,
      '--bucket',
      bucket,
      '--mode',
      'detailed',
      '--interval',
      '3600',
    ],
    {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_REGION: 'us-east-1',
        DG_CACHE_DIR: fileURLToPath(new URL('../.bench-exporter-cache', import.meta.url)),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  try {
    const url = await listeningUrl(child);
    const scrape = async (path: string) => {
      const started = performance.now();
      const response = await fetch(`${url}${path}`);
      const body = await response.text();
      return { ms: performance.now() - started, body };
    };
    const metricsDuring: number[] = [];
    /** Scrapes over 50 ms, and when: to tell start-up, GC and the machine's own stalls apart. */
    const slow: string[] = [];
    const pageDuring: number[] = [];
    const started = performance.now();
    for (;;) {
      const { ms, body } = await scrape('/metrics');
      if (/deltaglider_refreshes_total\{[^}]*\} 1/.test(body)) break;
      if (/deltaglider_refresh_failures_total\{[^}]*\} [1-9]/.test(body))
        throw new Error('the refresh failed');
      if (/deltaglider_refresh_in_progress\{[^}]*\} 1/.test(body)) {
        metricsDuring.push(ms);
        if (ms > 50)
          slow.push(
            `${ms.toFixed(0)} ms at ${((performance.now() - started) / 1000).toFixed(1)} s`,
          );
      }
      if (metricsDuring.length % 10 === 5) pageDuring.push((await scrape('/')).ms);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const refreshSeconds = (performance.now() - started) / 1000;
    const sorted = [...metricsDuring].sort((a, b) => a - b);
    const pages = [...pageDuring].sort((a, b) => a - b);
    const result: ExporterResult = {
      objects: SHAPE.deltaspaces * (SHAPE.versions + 1),
      refreshSeconds,
      scrapesDuringRefresh: sorted.length,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      maxMs: sorted.at(-1) ?? 0,
      pageP99Ms: percentile(pages, 0.99),
    };
    console.log(
      `exporter: ${result.objects.toLocaleString('en-US')} objects, detailed refresh ${refreshSeconds.toFixed(1)} s; ${result.scrapesDuringRefresh} /metrics scrapes during it: p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, max ${result.maxMs.toFixed(1)} ms; status page p99 ${result.pageP99Ms.toFixed(1)} ms`,
    );
    if (slow.length) console.log(`scrapes over 50 ms: ${slow.join(', ')}`);
    return { ...result, slowScrapes: slow };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

function listeningUrl(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/[\d.:]+)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`deltaglider serve exited ${code}: ${seen}`)));
  });
}
