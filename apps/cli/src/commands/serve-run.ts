import { createExporter } from '@deltaglider/exporter';
import { clientOptionsFrom, stderrLoggerFor } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { CLI_VERSION } from '../cli-version.js';
import { resolveServeConfig } from '../serve/serve-config.js';
import { WorkerStatsSource } from '../serve/worker-stats-source.js';
import { SERVE_LOG_OPTIONS } from '../stderr-logger.js';
import type { ServeArguments } from './serve.js';

/**
 * Runs `@deltaglider/exporter` until SIGTERM or Ctrl-C, then stops (refreshes in flight are
 * aborted; an aborted stats call writes no cache) and exits 0. Every S3 request runs on a worker
 * thread, so this thread stays free to answer scrapes.
 */
export async function runServe(argv: ServeArguments, io: CliIo): Promise<void> {
  const config = await resolveServeConfig(argv, io.env);
  const client = new WorkerStatsSource(clientOptionsFrom(argv, io), io.env);
  const exporter = createExporter({
    client,
    targets: config.targets,
    mode: config.mode,
    intervalSeconds: config.intervalSeconds,
    refreshConcurrency: config.refreshConcurrency,
    metricsToken: config.metricsToken,
    version: CLI_VERSION,
    logger: stderrLoggerFor(io, SERVE_LOG_OPTIONS),
  });
  const { url } = await exporter.listen({ host: config.host, port: config.port });
  const time = () => new Date().toISOString();
  io.stderr.write(
    `${time()} deltaglider serve: listening on ${url} (/metrics, /probe, /healthz, /), ${config.targets.length} target(s), refreshed every ${config.intervalSeconds} s\n`,
  );
  await new Promise<void>((resolve) => {
    if (!io.signal || io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await exporter.close();
  await client.terminate();
  io.stderr.write(`${time()} deltaglider serve: stopped\n`);
}
