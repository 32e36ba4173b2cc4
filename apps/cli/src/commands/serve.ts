import { createExporter, DEFAULT_PORT } from '@deltaglider/exporter';
import type { Argv } from 'yargs';
import { clientOptionsFrom, stderrLoggerFor } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { CLI_VERSION } from '../cli-version.js';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { resolveServeConfig, type ServeFlags, withServeFlags } from '../serve/serve-config.js';
import { WorkerStatsSource } from '../serve/worker-stats-source.js';
import { SERVE_LOG_OPTIONS } from '../stderr-logger.js';
import type { CliCommand } from './cli-command.js';

export type ServeArguments = EndpointArguments & ServeFlags;

export const serveCommand: CliCommand<ServeArguments> = {
  command: 'serve',
  describe:
    'Run a Prometheus exporter: /metrics, /probe, /healthz and a status page, refreshed in the background',
  builder: (yargs) =>
    withServeFlags(yargs).example(
      '$0 serve --bucket releases --bucket s3://backups/db/ --mode detailed',
      `Scrape http://127.0.0.1:${DEFAULT_PORT}/metrics; the status page is at /`,
    ) as Argv<ServeArguments>,
  run: runServe,
};

/**
 * Runs `@deltaglider/exporter` until SIGTERM or Ctrl-C, then stops (refreshes in flight are
 * aborted; an aborted stats call writes no cache) and exits 0. Every S3 request runs on a worker
 * thread, so this thread stays free to answer scrapes.
 */
async function runServe(argv: ServeArguments, io: CliIo): Promise<void> {
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
