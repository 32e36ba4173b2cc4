import { statsModes } from '@deltaglider/sdk';
import type { Argv } from 'yargs';
import { clientOptionsFrom, stderrLoggerFor } from '../build-client.js';
import type { CliIo } from '../cli-io.js';
import { CLI_VERSION } from '../cli-version.js';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { startExporterServer } from '../serve/exporter-server.js';
import { DEFAULT_LISTEN, resolveServeConfig, type ServeFlags } from '../serve/serve-config.js';
import { StatsRefresher } from '../serve/stats-refresher.js';
import { withTimeout } from '../serve/with-timeout.js';
import { WorkerStatsSource } from '../serve/worker-stats-source.js';
import type { CliCommand } from './cli-command.js';

export type ServeArguments = EndpointArguments & ServeFlags;

/** Start-up waits at most this long for the buckets' caches before it listens. */
const PRIME_TIMEOUT_MS = 5_000;

export const serveCommand: CliCommand<ServeArguments> = {
  command: 'serve',
  describe:
    'Run a Prometheus exporter: /metrics, /probe, /healthz and a status page, refreshed in the background',
  builder: (yargs) =>
    yargs
      .option('listen', {
        type: 'string',
        describe: `HOST:PORT to listen on (default ${DEFAULT_LISTEN}: this machine only)`,
      })
      .option('bucket', {
        type: 'string',
        array: true,
        describe: 'BUCKET or s3://BUCKET/PREFIX/ to watch; repeat for more',
      })
      .option('prefix', {
        type: 'string',
        describe: 'Directory to watch in each --bucket given without one',
      })
      .option('mode', {
        type: 'string',
        choices: statsModes,
        describe: 'Stats mode of the targets (default quick)',
      })
      .option('interval', {
        type: 'number',
        describe: 'Seconds between background refreshes of a target (default 60)',
      })
      .option('refresh-concurrency', {
        type: 'number',
        describe: 'Targets refreshed at once (default 2)',
      })
      .option('config', {
        type: 'string',
        describe: 'JSON file with listen, interval, mode, refresh_concurrency and targets',
      })
      .example(
        '$0 serve --bucket releases --bucket s3://backups/db/ --mode detailed',
        'Scrape http://127.0.0.1:9340/metrics; the status page is at /',
      ) as Argv<ServeArguments>,
  run: runServe,
};

/**
 * Runs until SIGTERM or Ctrl-C, then stops: no new requests, refreshes in flight aborted (an
 * aborted stats call writes no cache), and exits 0.
 */
async function runServe(argv: ServeArguments, io: CliIo): Promise<void> {
  const config = await resolveServeConfig(argv);
  const logger = stderrLoggerFor(io);
  // Every S3 request runs on a worker thread; this thread answers scrapes.
  const client = new WorkerStatsSource(clientOptionsFrom(argv, io), io.env);
  const refresher = new StatsRefresher(client, {
    intervalSeconds: config.intervalSeconds,
    concurrency: config.refreshConcurrency,
    logger,
  });
  for (const target of config.targets) refresher.watch(target);
  refresher.start();
  // Numbers to show from the first scrape: each bucket's cache as it is (one GET each), read
  // before listening (the worker's start-up then costs no scrape anything).
  await withTimeout(
    Promise.all(config.targets.map((target) => refresher.primeFromBucketCache(target))),
    PRIME_TIMEOUT_MS,
  );
  const server = await startExporterServer({
    host: config.host,
    port: config.port,
    client,
    refresher,
    defaultMode: config.mode,
    version: CLI_VERSION,
    logger,
  });
  io.stderr.write(
    `deltaglider serve: listening on ${server.url} (/metrics, /probe, /healthz, /), ${config.targets.length} target(s), refreshed every ${config.intervalSeconds} s\n`,
  );
  await new Promise<void>((resolve) => {
    if (!io.signal || io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  await refresher.stop();
  await client.terminate();
  io.stderr.write('deltaglider serve: stopped\n');
}
